"""Pre-publish checks: what a page must satisfy before it is submitted for
review or published, enforced on the server.

A check (checks.Check) has an id, a label and run(page) -> problems. Page types
declare theirs (`prepublish_checks = [...]` on the model); this package knows no
page type. The operator switches checks off by id and tunes their options in
settings.PREPUBLISH_CHECKS. Enforcement is in the admin page form
(forms.PrepublishFormMixin, part of cms.page_forms.PageForm) for the edit and
create views, and in doors.py for the other ways to publish (the workflow action
modal, bulk publish). An override by someone who may publish is recorded in the
page's history (audit.py).
"""

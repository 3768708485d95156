"""How a byline names its authors: "A", "A and B", "A, B and C"."""


def joined_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def byline_names(people) -> str:
    """The display names of `people`, in order, joined as a byline says them."""
    return joined_names([person.display_name for person in people])

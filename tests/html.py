import re


def normal_html(html) -> str:
    """HTML with runs of whitespace collapsed and whitespace next to a tag removed (it does
    not show), for comparing two writers of the same markup."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Node:
    """An element of parsed HTML: tag, attrs (entities decoded), children; `text` is its
    text with entities decoded, as a reader (or a screen reader) gets it."""

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.parent, self.children = tag, parent, []
        self.attrs = {name: "" if value is None else value for name, value in attrs}

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def elements(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.elements()

    def find_all(self, tag=None, id=None, class_=None, attrs=None):  # noqa: A002
        def matches(node):
            classes = node.attrs.get("class", "").split()
            return (
                (tag is None or node.tag == tag)
                and (id is None or node.attrs.get("id") == id)
                and (class_ is None or class_ in classes)
                and all(node.attrs.get(name) == value for name, value in (attrs or {}).items())
            )

        return [node for node in self.elements() if matches(node)]

    def find(self, tag=None, **kwargs):
        found = self.find_all(tag, **kwargs)
        return found[0] if found else None

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


def parse(html) -> Node:
    """HTML as a tree of Nodes (a root without a tag)."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.root = self.current = Node(None, [])

        def handle_starttag(self, tag, attrs):
            node = Node(tag, attrs, self.current)
            self.current.children.append(node)
            if tag not in VOID:
                self.current = node

        def handle_startendtag(self, tag, attrs):
            self.current.children.append(Node(tag, attrs, self.current))

        def handle_endtag(self, tag):
            node = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is not None and node.parent is not None:
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    parser = Parser()
    parser.feed(str(html))
    parser.close()
    return parser.root

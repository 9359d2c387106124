"""A cheap count of a document's tokens, so an oversized document is refused unparsed.

graphql-core enforces `max_tokens` while it parses, but its lexer is pure Python: reaching
the limit of a 5,000-token document costs ~25 ms of CPU, which anonymous callers could
spend on purpose. This scanner recognises the same tokens (punctuators, names, numbers,
strings, block strings and comments, which graphql-core counts too) with one C-level
regex, and reports where the first token beyond the limit starts, so the refusal is the
parser's own error at the same position. Documents with no more characters than the
limit cannot hold more tokens and are never scanned.
"""

import re
from itertools import islice

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\"""|\\|"(?!""))*"""'  # block string
    r'|"(?:[^"\\\n\r]|\\.)*"'  # string
    r"|#[^\n\r]*"  # comment
    r"|\.\.\."
    r"|[_A-Za-z][_0-9A-Za-z]*"
    r"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
    r"|[!$&()\[\]{}:=@|]"
)


def overflow_position(document: str, limit: int) -> int | None:
    """Where the token after the first `limit` tokens starts, or None if there is none."""
    if len(document) <= limit:
        return None
    beyond = next(islice(_TOKEN.finditer(document), limit, None), None)
    return None if beyond is None else beyond.start()

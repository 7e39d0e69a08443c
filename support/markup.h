// Text inside XML and HTML: the one escaping rule for every page and picture hone writes (the flame graph
// SVG of hone profile, the pages of hone report). Names from a user's program (C++ operators such as
// `operator<<`, file names, benchmark names) are data, never markup, in element content and in quoted
// attribute values alike.
#pragma once

#include <string>
#include <string_view>

namespace hone::support {

// & < > " ' become entity references (&#39; for the apostrophe, which XML and every HTML version read);
// control characters XML 1.0 does not allow (below 0x20 except tab, newline and carriage return) become
// '?', so the document stays well-formed whatever bytes a symbol name carries.
std::string escape_markup(std::string_view text);

}  // namespace hone::support

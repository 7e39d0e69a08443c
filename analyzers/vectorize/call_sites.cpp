// The call-site check behind `__restrict` fixes (see call_sites.h).
//
// Each call is judged on its own: every pair of the fix's parameters of which at least one may be
// written must receive arguments that name different complete objects. The first pair that fails
// names the call; later calls are still counted so the summary says how many were seen.
#include "call_sites.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>

namespace hone::vec {
namespace {

const PointerArgument* argument_for(const FunctionUse& call, unsigned index) {
  for (const PointerArgument& argument : call.pointers)
    if (argument.index == index) return &argument;
  return nullptr;
}

// One object contains the other: the same variable, or a variable and one of its members.
bool same_or_nested(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return llvm::StringRef(longer).starts_with(shorter) && longer[shorter.size()] == '.';
}

// Empty when the call passes disjoint objects for every pair that matters, else why it may not.
std::string overlap_in(const LoopInfo& loop, const FunctionUse& call) {
  const std::vector<PointerParam>& params = loop.pointer_params;
  for (size_t i = 0; i < params.size(); ++i) {
    for (size_t j = i + 1; j < params.size(); ++j) {
      if (params[i].pointee_const && params[j].pointee_const) continue;  // both only read: overlap is harmless
      const PointerArgument* first = argument_for(call, params[i].index);
      const PointerArgument* second = argument_for(call, params[j].index);
      if (!first || !second)
        return "hone cannot see what is passed for '" + params[i].name + "' and '" + params[j].name + "'";
      for (const PointerArgument* argument : {first, second})
        if (argument->object.empty())
          return "hone cannot tell what '" + argument->text + "' (passed for '" +
                 params[argument == first ? i : j].name + "') points to";
      if (first->text == second->text)
        return "'" + first->text + "' is passed for both '" + params[i].name + "' and '" + params[j].name + "'";
      if (same_or_nested(first->object, second->object))
        return "'" + first->text + "' and '" + second->text + "', passed for '" + params[i].name + "' and '" +
               params[j].name + "', point into the same object";
    }
  }
  return "";
}

std::string place(const std::string& file, unsigned line, unsigned column) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

CallSiteCheck check_call_sites(const LoopInfo& loop, const std::vector<const FunctionUse*>& uses) {
  CallSiteCheck check;
  std::vector<CallSiteProblem> address_uses;
  for (const FunctionUse* use : uses) {
    if (use->callee_usr.empty() || use->callee_usr != loop.function_usr) continue;
    if (!use->is_call) {
      address_uses.push_back({use->file, use->line, use->column, "its address is taken"});
      continue;
    }
    ++check.calls;
    if (std::string why = overlap_in(loop, *use); !why.empty())
      check.problems.push_back({use->file, use->line, use->column, std::move(why)});
  }
  if (!check.problems.empty())
    check.safety = CallSafety::MayOverlap;
  else if (!address_uses.empty()) {
    check.safety = CallSafety::AddressTaken;
    check.problems = std::move(address_uses);
  } else
    check.safety = check.calls == 0 ? CallSafety::NotCalled : CallSafety::AllDistinct;
  return check;
}

std::string call_site_summary(const LoopInfo& loop, const CallSiteCheck& check) {
  const std::string function = "'" + loop.function + "'";
  switch (check.safety) {
    case CallSafety::AllDistinct:
      return "every call of " + function + " in the analysed files (" + std::to_string(check.calls) +
             ") passes distinct objects";
    case CallSafety::MayOverlap: {
      std::string text = "call sites at ";
      for (size_t i = 0; i < check.problems.size(); ++i) {
        const CallSiteProblem& problem = check.problems[i];
        text += (i == 0 ? "" : ", ") + place(problem.file, problem.line, problem.column);
      }
      return text + " may overlap (" + check.problems.front().why + ")";
    }
    case CallSafety::AddressTaken: {
      const CallSiteProblem& where = check.problems.front();
      return "called through a pointer: the address of " + function + " is taken at " +
             place(where.file, where.line, where.column) + ", so its calls are not visible";
    }
    case CallSafety::NotCalled:
      return std::string("called from outside the database: no call of ") + function + " is in the analysed files" +
             (loop.function_external ? "" : " (it is not called at all)");
  }
  return "";
}

}  // namespace hone::vec

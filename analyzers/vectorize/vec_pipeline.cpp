// The `hone vec` pipeline (see vec_pipeline.h).
//
// Deduplication happens once, between the two parallel phases: before it, every TU reports every loop
// it has; after it, a header's loop has one owner, so its fixes are compiled once, with the owner's
// flags. Each parallel task writes only its own result (one UnitResult per TU, one LoopResult per fix
// check), so the phases need no lock.
#include "vec_pipeline.h"

#include <llvm/Support/FileSystem.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#ifndef HONE_VEC_LLVM_BIN_DIR
#define HONE_VEC_LLVM_BIN_DIR "/usr/lib/llvm-19/bin"
#endif

namespace hone::vec {
namespace {

bool cost_model_rejected(const LoopResult& loop) {
  const LoopVerdict* missed = loop.missed_verdict();
  return missed &&
         std::find(missed->reasons.begin(), missed->reasons.end(), Reason::NotProfitable) != missed->reasons.end();
}

// Drops every loop an earlier TU (in input order) already has.
void keep_first_sightings(std::vector<UnitResult>& units) {
  std::set<std::string> seen;
  for (UnitResult& unit : units)
    std::erase_if(unit.loops, [&](const LoopResult& loop) { return !seen.insert(loop.key()).second; });
}

// Every loop with a `__restrict` fix gets its function's callers checked, across all TUs (a call in
// a header seen by several TUs counts once).
void check_restrict_callers(std::vector<UnitResult>& units) {
  std::map<std::string, std::vector<const FunctionUse*>> by_callee;
  std::set<std::string> seen;
  for (const UnitResult& unit : units)
    for (const FunctionUse& use : unit.uses)
      if (seen.insert(use.callee_usr + "@" + use.file + ":" + std::to_string(use.line) + ":" +
                      std::to_string(use.column))
              .second)
        by_callee[use.callee_usr].push_back(&use);
  static const std::vector<const FunctionUse*> k_none;
  for (UnitResult& unit : units) {
    for (LoopResult& loop : unit.loops) {
      const auto& fixes = loop.advice.fixes;
      if (std::none_of(fixes.begin(), fixes.end(), [](const Fix& fix) { return fix.asserts_no_overlap; })) continue;
      auto found = by_callee.find(loop.loop.function_usr);
      loop.call_sites = check_call_sites(loop.loop, found == by_callee.end() ? k_none : found->second);
    }
  }
}

// --try-fixes: checks the fixes of every reported missed loop, one loop per task.
void check_reported_fixes(const Options& options, std::vector<UnitResult>& units, const std::string& scratch_root) {
  struct Task {
    const UnitResult* unit;
    LoopResult* loop;
    size_t unit_index;
  };
  std::vector<Task> tasks;
  for (size_t index = 0; index < units.size(); ++index)
    for (LoopResult& loop : units[index].loops)
      if (loop.status == LoopStatus::Missed && is_reported(options, loop) && !loop.advice.fixes.empty())
        tasks.push_back({&units[index], &loop, index});
  analyze::run_parallel(tasks.size(), options.run.jobs, [&](size_t task_index) {
    const Task& task = tasks[task_index];
    const LoopSite& site = task.loop->loop.site;
    FixTarget target{task.unit->setup,
                     task.unit->known_files,
                     site,
                     task.loop->site_file,
                     unit_scratch(scratch_root, task.unit_index) + "/fix-" + std::to_string(site.line) + "-" +
                         std::to_string(site.column),
                     options.timeout_seconds,
                     task.loop->call_sites ? &*task.loop->call_sites : nullptr,
                     cost_model_rejected(*task.loop),
                     &task.loop->loop,
                     options.time_fixes};
    task.loop->fixes_tried = check_fixes(target, task.loop->advice.fixes, task.loop->fix_diagnostics);
  });
}

}  // namespace

std::vector<UnitResult> run_pipeline(const Options& options, const analyze::Inputs& inputs,
                                     const std::string& scratch_root) {
  const analyze::SourceFilter filter(options.header_filter, options.system_headers);
  // This executable, for the one-pass worker; /proc/self/exe, so argv[0] and PATH do not matter.
  static int k_address_in_this_executable;
  const std::string self = llvm::sys::fs::getMainExecutable("hone-analyze", &k_address_in_this_executable);
  const UnitContext context{options, inputs, filter, HONE_VEC_LLVM_BIN_DIR, scratch_root, self};
  std::vector<UnitResult> units = analyze::map_translation_units<UnitResult>(
      inputs, options.run, [&](size_t index) { return analyze_unit(context, index); });
  keep_first_sightings(units);
  check_restrict_callers(units);
  if (options.try_fixes) check_reported_fixes(options, units, scratch_root);
  return units;
}

}  // namespace hone::vec

// The `hone vec` pipeline (see vec_pipeline.h).
//
// Deduplication happens once, between the two parallel phases: before it, every TU reports every loop
// it has; after it, a header's loop has one owner, so its fixes are compiled once, with the owner's
// flags. Each parallel task writes only its own result (one UnitResult per TU, one LoopResult per fix
// check), so the phases need no lock.
#include "vec_pipeline.h"

#include <set>
#include <utility>

#ifndef HONE_VEC_LLVM_BIN_DIR
#define HONE_VEC_LLVM_BIN_DIR "/usr/lib/llvm-19/bin"
#endif

namespace hone::vec {
namespace {

// Drops every loop an earlier TU (in input order) already has.
void keep_first_sightings(std::vector<UnitResult>& units) {
  std::set<std::string> seen;
  for (UnitResult& unit : units)
    std::erase_if(unit.loops, [&](const LoopResult& loop) { return !seen.insert(loop.key()).second; });
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
                     options.timeout_seconds};
    task.loop->fixes_tried = check_fixes(target, task.loop->advice.fixes, task.loop->fix_diagnostics);
  });
}

}  // namespace

std::vector<UnitResult> run_pipeline(const Options& options, const analyze::Inputs& inputs,
                                     const std::string& scratch_root) {
  const analyze::SourceFilter filter(options.header_filter, options.system_headers);
  const UnitContext context{options, inputs, filter, HONE_VEC_LLVM_BIN_DIR, scratch_root};
  std::vector<UnitResult> units = analyze::map_translation_units<UnitResult>(
      inputs, options.run, [&](size_t index) { return analyze_unit(context, index); });
  keep_first_sightings(units);
  if (options.try_fixes) check_reported_fixes(options, units, scratch_root);
  return units;
}

}  // namespace hone::vec

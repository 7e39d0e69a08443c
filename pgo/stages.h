// The stages of `hone pgo`, in pipeline order. Each stage is two functions: `<stage>_key` hashes
// everything the stage reads (a changed key means the stage must run again), and `run_<stage>` does
// the work and records what it ran and produced in the manifest. pipeline.cpp decides which stages
// run; the stages know nothing about each other beyond the previous stages' manifests and files.
#pragma once

#include <string>

#include "pgo/context.h"

namespace hone::pgo {

// instrument: build the project with -fprofile-generate into .hone/instrument/build.
std::string instrument_key(Context& context);
void run_instrument(Context& context, Manifest& manifest);

// train: run every training workload on the instrumented binaries; .profraw per workload.
std::string train_key(Context& context);
void run_train(Context& context, Manifest& manifest);

// merge: check llvm-profdata against the compiler, merge per workload, then a weighted merge (plus
// imported profiles) into .hone/merge/merged-<content hash>.profdata.
std::string merge_key(Context& context);
void run_merge(Context& context, Manifest& manifest);
// `hone pgo merge --add FILE[:WEIGHT]`: copies the file into .hone/merge/imported/ for every later merge.
void import_profiles(Context& context);

// cs (pgo.kind: cs only): a second, context-sensitive round: build with the first profile plus
// -fcs-profile-generate, train again, and merge both rounds into .hone/cs/merged-cs-<hash>.profdata.
std::string cs_key(Context& context);
void run_cs(Context& context, Manifest& manifest);

// optimize: the PGO (+LTO) release build into .hone/optimize/build.
std::string optimize_key(Context& context);
void run_optimize(Context& context, Manifest& manifest);

// bolt: instrument the optimized binaries with llvm-bolt, train, optimize, check same behaviour.
std::string bolt_key(Context& context);
void run_bolt(Context& context, Manifest& manifest);

// verify: baseline release build vs every variant on the benchmark workloads.
std::string verify_key(Context& context);
void run_verify(Context& context, Manifest& manifest);

// pgo.kind: sample (sample_pgo.cpp): the profiling build's flags, train under perf record, merge through
// hone-sample-profile and `llvm-profdata merge --sample`; train.cpp and merge.cpp hand over to these.
std::vector<std::string> sample_profiling_flags();
std::string sample_train_key(Context& context);
void run_sample_train(Context& context, Manifest& manifest);
std::string sample_merge_key(Context& context);
void run_sample_merge(Context& context, Manifest& manifest);
// `hone pgo merge --perf-data FILE[:WEIGHT]`: keeps a copy in .hone/merge/imported/ for every later merge.
void import_perf_data(Context& context);

// info and clean are not pipeline stages: they read or remove the work folder.
int run_info(Context& context);
int run_clean(Context& context);

// The file a merged profile is written to before it is named by its content hash (merge and cs): an
// exclusive temporary beside `target` with a random name (support/atomic_file.h), created before the
// tool writes into it, so nothing planted at a predictable name can redirect llvm-profdata's output.
// Removed on destruction unless published; stale ones of a killed run are removed first.
class ProfileTemporary {
public:
  explicit ProfileTemporary(const std::filesystem::path& target);
  ~ProfileTemporary();
  ProfileTemporary(const ProfileTemporary&) = delete;
  ProfileTemporary& operator=(const ProfileTemporary&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Renames it to <folder>/<prefix><hash>.profdata (removing older <prefix>*.profdata) and sets `hash`.
  std::filesystem::path publish(const std::string& prefix, std::string& hash);

private:
  std::filesystem::path path_;
};

// Helpers shared by stages.
// Hash of the project's sources: the source folder, plus the files the last instrumented build read
// outside it (build_inputs.h). Computed once per run, again after set_outside_inputs.
std::string source_hash(Context& context);
void set_outside_inputs(const std::vector<std::string>& files);
Manifest require_manifest(Context& context, const std::string& stage);  // a finished earlier stage
nlohmann::json build_settings(const Context& context);                  // what the build depends on
nlohmann::json workload_settings(const std::vector<Workload>& workloads);
std::string merged_profile(Context& context);  // path from merge's manifest
std::map<std::string, std::filesystem::path> variant_binaries(Context& context, const std::string& stage);

}  // namespace hone::pgo

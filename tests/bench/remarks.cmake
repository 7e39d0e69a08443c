# hone vec's optimization-record reader throughput (issue 5), included from tests/bench/CMakeLists.txt.
# ctest smoke-runs it on a 4 MB record; `remark_reader_bench --size-mb=256` gives the documented figures.
if(TARGET hone_vec_remarks)
  hone_add_benchmark(remark_reader_bench SOURCES remark_reader_bench.cpp LIBS hone_vec_remarks)
  if(TARGET remark_reader_bench)
    target_compile_definitions(remark_reader_bench PRIVATE HONE_BENCH_LLVM_BIN_DIR="${HONE_LLVM_BIN_DIR}")
  endif()
endif()

// The translation unit that owns the precompiled Catch2 header the test suites reuse
// (tests/CMakeLists.txt): it has nothing of its own.

# CMake toolchain file: cross-build Capstan for linux/arm64 on a Debian 12 amd64 machine, with Debian's cross
# toolchain (crossbuild-essential-arm64) and the arm64 -dev packages installed by multiarch (scripts/setup-cross.sh).
#   cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
# Libraries are found in /usr/lib/aarch64-linux-gnu (CMAKE_LIBRARY_ARCHITECTURE; the headers shared by both
# architectures stay in /usr/include, the arch-specific ones in /usr/include/aarch64-linux-gnu, which the cross
# compiler searches by itself); the static libpq is .deps/pq-arm64 (CAPSTAN_PQ_DIR). Every executable, the tests
# too, is linked statically, so qemu-aarch64-static runs it without an arm64 root: CMAKE_CROSSCOMPILING_EMULATOR
# makes ctest, Catch2's test discovery and the build's own runs of the binaries (shell completions) go through it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CAPSTAN_CROSS_ARCH arm64)  # Debian's name: .deps/pq-arm64, capstan_<V>_linux_arm64.tar.gz
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
find_program(CAPSTAN_QEMU_AARCH64 qemu-aarch64-static)
if(CAPSTAN_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${CAPSTAN_QEMU_AARCH64}")
endif()
# Find libraries, headers and packages only for the target (never the host's x86-64 ones); programs on the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")

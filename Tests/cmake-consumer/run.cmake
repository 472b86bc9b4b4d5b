# ctest driver: install the build into PREFIX, then build and run consumers against it.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE ${PREFIX} ${BUILD_DIR}/consumer-build)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})

# find_package(swvm) + swvm::swvm
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/Tests/cmake-consumer -B ${BUILD_DIR}/consumer-build -G Ninja
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_BUILD_RPATH=${PREFIX}/lib)
run(${CMAKE_COMMAND} --build ${BUILD_DIR}/consumer-build)
run(${BUILD_DIR}/consumer-build/consumer)

# pkg-config --cflags --libs swvm
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/lib/pkgconfig)
execute_process(COMMAND pkg-config --cflags --libs swvm
  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config does not find the installed swvm.pc")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(cc ${SOURCE_DIR}/Tests/cmake-consumer/main.c ${flags} -Wl,-rpath,${PREFIX}/lib -o ${BUILD_DIR}/consumer-build/pkgconfig-consumer)
run(${BUILD_DIR}/consumer-build/pkgconfig-consumer)

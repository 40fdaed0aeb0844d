# Installs the runtime, the test toolkit, their headers, wfc (when built) and the package configuration, so that a
# project can use find_package(Workflow CONFIG REQUIRED) after `cmake --install`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WORKFLOW_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Workflow")

install(TARGETS workflow_runtime workflow_testing EXPORT WorkflowTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/workflow
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET workflow_ops)
  install(TARGETS workflow_ops EXPORT WorkflowTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
if(TARGET wfc)
  set_target_properties(wfc PROPERTIES EXPORT_NAME wfc)
  install(TARGETS wfc EXPORT WorkflowTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # For clang/clangd on unrewritten sources: -fplugin=<prefix>/lib/workflow/workflow_annotations_plugin.so
  install(TARGETS workflow_annotations_plugin LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/workflow)
endif()
install(EXPORT WorkflowTargets NAMESPACE Workflow:: DESTINATION ${WORKFLOW_PACKAGE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/WorkflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/WorkflowConfig.cmake INSTALL_DESTINATION ${WORKFLOW_PACKAGE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/WorkflowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/WorkflowConfig.cmake
  ${PROJECT_BINARY_DIR}/WorkflowConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/target_workflow_sources.cmake
  DESTINATION ${WORKFLOW_PACKAGE_DIR})

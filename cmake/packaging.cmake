# The systemd units, rtd-token, and the Debian package made by CPack:
# `cmake --build build --target package` writes build/rtd_<version>_amd64.deb. The server's
# own install rules (binary, dashboard, rtd.ini) are in server/CMakeLists.txt.
set(RTD_PACKAGE_DIR ${CMAKE_BINARY_DIR}/package)
set(RTD_CONFIG_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/rtd)
set(RTD_BINDIR ${CMAKE_INSTALL_FULL_BINDIR})

if(TARGET rtd-token)
  install(TARGETS rtd-token RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# Both units share their [Service] settings, written once (an edit configures again).
file(READ ${RTD_ROOT}/deploy/systemd/service.conf.in RTD_SERVICE_COMMON)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${RTD_ROOT}/deploy/systemd/service.conf.in)
# Under the prefix, not LIBDIR (multiarch on Debian): systemd reads /usr/lib/systemd/system.
foreach(unit rtd.service rtd@.service)
  configure_file(${RTD_ROOT}/deploy/systemd/${unit}.in ${RTD_PACKAGE_DIR}/${unit} @ONLY)
  install(FILES ${RTD_PACKAGE_DIR}/${unit} DESTINATION lib/systemd/system)
endforeach()

file(WRITE ${RTD_PACKAGE_DIR}/conffiles "${RTD_CONFIG_DIR}/rtd.ini\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rtd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "rtd maintainers <rtd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "real-time data server pushing live data to WebSocket clients")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "rtd-server pushes simulated market indicators, the progress and results of financial\n"
  "calculations, notifications and its own health figures to WebSocket clients, and serves\n"
  "a live dashboard. Runs as rtd.service, or as rtd@NAME.service for several nodes.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The library packages come from dpkg-shlibdeps (dpkg-dev), run on the binaries; the
# maintainer scripts use useradd (passwd) and deb-systemd-helper (init-system-helpers), both
# essential or required in Debian and so not listed.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${RTD_PACKAGE_DIR}/conffiles
    ${RTD_ROOT}/deploy/debian/postinst
    ${RTD_ROOT}/deploy/debian/prerm
    ${RTD_ROOT}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# The package groups the modules are made of, with Fedora's group ids
# and a part of their packages. A team moving real groups over runs
# `strata import comps comps.xml` and gets blocks like these.

group "core" {
  name        = "Core"
  description = "Smallest possible installation"
  mandatory = [
    "filesystem", "setup", "glibc", "glibc-common", "glibc-minimal-langpack", "bash", "coreutils",
    "coreutils-common", "systemd", "systemd-libs", "systemd-udev", "util-linux", "util-linux-core",
    "dnf5", "libdnf5", "rpm", "rpm-libs", "sudo", "shadow-utils", "openssl-libs", "zlib-ng-compat",
    "libselinux", "pam", "pam-libs", "audit-libs", "ncurses-libs", "ncurses-base", "readline", "procps-ng",
    "iproute", "kbd", "e2fsprogs", "passwd", "dbus-broker", "dbus-common", "NetworkManager",
    "NetworkManager-libnm", "openssh-server", "openssh-clients", "curl", "libcurl", "ca-certificates",
    "crypto-policies", "tzdata", "fedora-release", "fedora-release-common", "fedora-repos", "fedora-gpg-keys",
    "libgcc", "libstdc++", "libxcrypt", "xz-libs", "libzstd", "bzip2-libs", "libacl", "libattr", "libcap",
    "pcre2", "expat", "sqlite-libs", "json-c", "libuuid", "libblkid", "libmount", "kmod", "kmod-libs",
  ]
  default = [
    "vim-minimal", "less", "iputils", "hostname", "which", "tar", "gzip", "xz", "zstd", "findutils", "grep",
    "sed", "gawk", "bzip2", "diffutils", "file", "policycoreutils", "selinux-policy-targeted", "chrony",
    "firewalld", "rootfiles", "dnf5-plugins", "sssd-client",
  ]
  optional = ["zsh", "tmux", "rsync", "bash-completion", "lsof", "strace"]
}

group "standard" {
  name        = "Standard"
  description = "Common set of utilities that extend the minimal installation."
  mandatory = [
    "man-db", "man-pages", "nano", "openssl", "psmisc", "time", "traceroute", "unzip", "zip", "wget2",
    "bind-utils", "ethtool", "mtr", "nfs-utils", "cifs-utils", "pciutils", "usbutils", "lvm2", "mdadm",
    "cryptsetup", "parted", "smartmontools", "sos", "logrotate", "cronie", "at", "plocate", "quota",
    "rsyslog", "microcode_ctl", "btrfs-progs", "xfsprogs", "dosfstools", "libnfsidmap", "nss", "nspr",
    "gnupg2", "gpgme", "libssh", "libpsl", "krb5-libs", "cyrus-sasl-lib", "openldap", "python3",
    "python3-libs", "python3-dnf", "python3-rpm", "perl-interpreter", "perl-libs",
  ]
  optional = ["words", "pinfo", "vim-enhanced", "git-core", "jq", "htop"]
}

group "boot" {
  name        = "Boot"
  description = "The kernel, firmware and what boots it."
  mandatory = [
    "kernel", "kernel-core", "kernel-modules", "kernel-modules-core", "linux-firmware",
    "linux-firmware-whence", "grub2-efi-x64", "grub2-pc", "grub2-tools", "grub2-common", "shim-x64",
    "efibootmgr", "efi-filesystem", "dracut", "dracut-config-rescue", "plymouth", "os-prober",
  ]
  optional = ["memtest86+", "syslinux"]
}

group "container-management" {
  name        = "Container Management"
  description = "Tools for managing Linux containers"
  mandatory = [
    "podman", "buildah", "skopeo", "containers-common", "container-selinux", "crun", "conmon", "netavark",
    "aardvark-dns", "passt", "fuse-overlayfs", "slirp4netns", "containernetworking-plugins",
    "criu", "libslirp", "yajl", "shadow-utils-subid",
  ]
  default  = ["toolbox", "podman-compose", "catatonit"]
  optional = ["podman-docker", "udica", "cri-tools"]
}

group "gtk" {
  name        = "GTK"
  description = "The GTK toolkit and the libraries it draws with."
  mandatory = [
    "glib2", "gtk3", "gtk4", "libadwaita", "pango", "cairo", "cairo-gobject", "harfbuzz", "fontconfig",
    "freetype", "gdk-pixbuf2", "gdk-pixbuf2-modules", "atk", "at-spi2-core", "at-spi2-atk",
    "gtk-update-icon-cache", "adwaita-icon-theme", "adwaita-cursor-theme", "hicolor-icon-theme",
    "librsvg2", "libepoxy", "libjpeg-turbo", "libpng", "libtiff", "libwebp", "graphene", "fribidi",
    "libthai", "libdatrie", "pixman", "lcms2", "colord-libs", "libcloudproviders", "gsettings-desktop-schemas",
    "dconf", "gobject-introspection", "json-glib", "libsoup3", "glib-networking", "libproxy",
  ]
  optional = ["gtk3-immodules", "gtk4-devel-tools"]
}

group "fonts" {
  name        = "Fonts"
  description = "Fonts packages for rendering text on the desktop."
  mandatory = [
    "default-fonts-core-sans", "default-fonts-core-serif", "default-fonts-core-mono", "google-noto-sans-vf-fonts",
    "google-noto-serif-vf-fonts", "google-noto-sans-mono-vf-fonts", "google-noto-color-emoji-fonts",
    "abattis-cantarell-vf-fonts", "adobe-source-code-pro-fonts", "dejavu-sans-fonts", "dejavu-sans-mono-fonts",
    "liberation-mono-fonts", "liberation-sans-fonts", "liberation-serif-fonts", "fonts-filesystem",
  ]
  optional = ["google-noto-sans-cjk-vf-fonts", "google-noto-sans-arabic-vf-fonts"]
}

group "base-x" {
  id          = "base-x"
  name        = "base-x"
  description = "Local X.org display server and the graphics stack."
  mandatory = [
    "mesa-dri-drivers", "mesa-libEGL", "mesa-libGL", "mesa-libgbm", "mesa-vulkan-drivers", "libdrm",
    "libglvnd", "libglvnd-egl", "libglvnd-glx", "libwayland-client", "libwayland-server", "libwayland-cursor",
    "libxkbcommon", "xkeyboard-config", "libinput", "libevdev", "libwacom", "libX11", "libX11-common",
    "libXext", "libXi", "libXrender", "libXfixes", "libXcursor", "libxcb", "xorg-x11-server-Xwayland",
    "xorg-x11-drv-libinput", "xdg-utils", "libva", "vulkan-loader",
  ]
  optional = ["xorg-x11-drv-amdgpu", "xorg-x11-drv-nouveau", "mesa-va-drivers"]
}

group "gnome-desktop" {
  name        = "GNOME"
  description = "GNOME is a highly intuitive and user friendly desktop environment."
  mandatory = [
    "gnome-shell", "mutter", "gnome-session", "gnome-session-wayland-session", "gdm", "nautilus",
    "gnome-control-center", "gnome-settings-daemon", "gnome-keyring", "gnome-keyring-pam", "gvfs",
    "gvfs-fuse", "gvfs-mtp", "localsearch", "tinysparql", "pipewire", "pipewire-pulseaudio",
    "wireplumber", "xdg-desktop-portal", "xdg-desktop-portal-gnome", "xdg-desktop-portal-gtk",
    "xdg-user-dirs-gtk", "gnome-initial-setup", "gnome-backgrounds", "gnome-shell-extension-common",
    "gnome-online-accounts", "evolution-data-server", "gnome-desktop4", "gnome-bluetooth", "gnome-color-manager",
    "gnome-remote-desktop", "polkit", "polkit-libs", "upower", "accountsservice", "power-profiles-daemon",
    "switcheroo-control", "NetworkManager-wifi", "bluez", "ModemManager", "geoclue2", "fprintd-pam",
    "ibus", "ibus-gtk4", "libgweather4", "webkitgtk6.0", "gstreamer1", "gstreamer1-plugins-base",
  ]
  default = [
    "ptyxis", "gnome-software", "gnome-text-editor", "papers", "loupe", "gnome-calculator",
    "gnome-system-monitor", "gnome-disk-utility", "gnome-clocks", "gnome-weather", "gnome-maps",
    "gnome-contacts", "gnome-calendar", "gnome-characters", "gnome-font-viewer", "gnome-logs",
    "gnome-connections", "baobab", "simple-scan", "snapshot", "totem", "rhythmbox", "decibels",
    "gnome-user-docs", "yelp", "file-roller", "sushi", "gnome-tour",
  ]
  optional = ["gnome-tweaks", "gnome-boxes", "dconf-editor", "gnome-extensions-app", "gnome-builder"]
}

group "workstation-product" {
  name        = "Fedora Workstation product core"
  description = "Packages that are required for the Fedora Workstation product."
  mandatory = [
    "fedora-release-workstation", "fedora-workstation-backgrounds", "fedora-flathub-remote", "flatpak",
    "firefox", "libreoffice-writer", "libreoffice-calc", "libreoffice-impress", "cups", "cups-filters",
    "sane-backends", "hplip", "gutenprint", "avahi", "nss-mdns", "fwupd", "mesa-va-drivers-freeworld-free",
    "spice-vdagent", "qemu-guest-agent", "open-vm-tools-desktop", "virtualbox-guest-additions",
  ]
  optional = ["thunderbird", "gimp", "inkscape", "vlc-free"]
}

group "web-server" {
  name        = "Web Server"
  description = "These tools allow you to run a Web server on the system."
  mandatory = [
    "httpd", "httpd-core", "httpd-filesystem", "httpd-tools", "apr", "apr-util", "apr-util-openssl",
    "mod_ssl", "mod_http2", "mod_lua", "mailcap", "fedora-logos-httpd", "libnghttp2", "lua-libs",
  ]
  default  = ["mod_fcgid", "mod_auth_gssapi", "mod_session"]
  optional = ["mod_security", "mod_md", "php-fpm", "certbot"]
}

group "server-product" {
  name        = "Fedora Server product core"
  description = "Packages that are required for the Fedora Server product."
  mandatory = [
    "fedora-release-server", "cockpit", "cockpit-bridge", "cockpit-ws", "cockpit-system",
    "cockpit-networkmanager", "cockpit-storaged", "cockpit-podman", "cockpit-packagekit", "udisks2",
    "storaged", "tuned", "realmd", "sssd", "sssd-common", "sssd-krb5", "sssd-ldap", "sssd-ipa",
    "adcli", "oddjob", "oddjob-mkhomedir", "samba-client-libs", "libsss_idmap", "freeipa-client",
    "certmonger", "pcp", "pcp-libs", "pcp-conf",
  ]
  optional = ["cockpit-machines", "libvirt-daemon-kvm", "postgresql-server", "mariadb-server"]
}

group "cloud-server" {
  name        = "Cloud Server Tools"
  description = "Server tools for the Cloud."
  mandatory = [
    "cloud-init", "cloud-utils-growpart", "qemu-guest-agent", "hyperv-daemons", "python3-jsonschema",
    "python3-jsonpatch", "python3-oauthlib", "python3-configobj", "python3-jinja2", "python3-pyyaml",
    "python3-requests", "python3-netifaces", "dhcpcd",
  ]
  optional = ["google-guest-agent", "WALinuxAgent", "amazon-ec2-utils"]
}

group "high-availability" {
  name        = "High Availability"
  description = "Infrastructure for highly available services and shared storage."
  mandatory = [
    "pacemaker", "pacemaker-cli", "pacemaker-libs", "pacemaker-cluster-libs", "pacemaker-schemas",
    "corosync", "corosynclib", "libknet1", "libknet1-crypto-nss-plugin", "pcs", "resource-agents",
    "fence-agents-all", "fence-agents-common", "fence-virt", "dlm", "lvm2-lockd", "sbd",
  ]
  optional = ["booth", "corosync-qdevice", "pcs-snmp"]
}

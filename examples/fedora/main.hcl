# Fedora 41, rebuilt from modules: the product line a release team ships
# (Workstation, Server, Cloud, a Client Node, a High Availability add-on,
# an atomic host, container images and installers), at a smaller scale.
# `make demo` generates the packages into ./rpms (as Koji would hand them
# over) and composes everything here; groups.hcl holds the package groups.

compose {
  name    = "Fedora"
  short   = "Fedora"
  version = "41"
  type    = "production"
  arches  = ["x86_64"] # one architecture keeps the demo to minutes
}

# Every package the product is made from: the build system's output.
source "rpm_dir" "koji" {
  path = "./rpms"
}

# --- Modules: each moves at its own pace and is supported for its own time.

# The base runtime every variant and image stands on; it follows the
# release and gets security fixes until the release ends.
module "base-runtime" {
  stream  = "f41"
  version = 20261101
  summary = "The base runtime: what every Fedora system runs"
  groups  = [group.core, group.standard]
  lifecycle {
    eol = "2027-11-19"
    sla = "security_fixes"
  }
}

# The kernel and boot loaders, kept out of the base runtime so that
# container images carry no kernel.
module "kernel" {
  stream   = "6.11"
  version  = 20261118
  summary  = "The kernel, firmware and boot loaders"
  groups   = [group.boot]
  requires = [module.base-runtime]
  lifecycle {
    eol = "2027-11-19"
  }
}

# Containers on every host: podman and its tools, the same stream in
# every variant so an image built on one runs on all.
module "container-platform" {
  stream   = "f41"
  version  = 20261105
  summary  = "Tools to run and build containers"
  groups   = [group.container-management]
  requires = [module.base-runtime]
  profiles = { default = ["podman", "skopeo"] }
  lifecycle {
    eol = "2027-11-19"
  }
}

# The graphical toolkit, its fonts and the display stack, shared by the
# desktop and any graphical application.
module "gtk" {
  stream   = "4.16"
  version  = 20261015
  summary  = "GTK, fonts and the display stack"
  groups   = [group.gtk, group.fonts, group.base-x]
  requires = [module.base-runtime]
  lifecycle {
    eol = "2027-05-13"
  }
}

# GNOME rebases every six months (47 now, 48 in the spring), on its own
# cadence, not the base runtime's: its stream is GNOME's version.
module "gnome" {
  stream   = "47"
  version  = 20261120
  summary  = "The GNOME desktop"
  groups   = [group.gnome-desktop, group.workstation-product]
  requires = [module.gtk]
  profiles = { default = ["gnome-shell", "gdm", "nautilus"] }
  lifecycle {
    eol = "2027-05-13"
  }
}

# The Apache web server, a module of its own so that the httpd image and
# the Server variant share one stream.
module "web" {
  stream   = "2.4"
  version  = 20261110
  summary  = "The Apache HTTP server"
  groups   = [group.web-server]
  requires = [module.base-runtime]
  profiles = { default = ["httpd", "mod_ssl"] }
  lifecycle {
    eol = "2027-11-19"
  }
}

# What makes a server a server: remote management, logging, directory
# clients; it brings the web module in.
module "server" {
  stream   = "f41"
  version  = 20261110
  summary  = "Server management and services"
  groups   = [group.server-product]
  requires = [module.base-runtime, module.web]
  lifecycle {
    eol = "2027-11-19"
  }
}

# First-boot configuration and guest tools for cloud images.
module "cloud" {
  stream   = "f41"
  version  = 20261112
  summary  = "Cloud guest tools"
  groups   = [group.cloud-server]
  requires = [module.base-runtime]
  lifecycle {
    eol = "2027-11-19"
  }
}

# Clustering, shipped as an add-on to Server: it requires nothing here,
# because its repository is installed beside the Server one (see the
# repository's parent below), not instead of it.
module "high-availability" {
  stream  = "2.1"
  version = 20261001
  summary = "Pacemaker and Corosync clustering"
  groups  = [group.high-availability]
  lifecycle {
    eol = "2028-06-30"
    sla = "bug_fixes"
  }
}

# --- Variants: today's products as different selections of modules.

variant "workstation" {
  name    = "Fedora Workstation"
  uid     = "Workstation"
  modules = [module.base-runtime, module.kernel, module.container-platform, module.gnome]
}

variant "server" {
  name    = "Fedora Server"
  uid     = "Server"
  modules = [module.base-runtime, module.kernel, module.container-platform, module.server]
}

variant "cloud" {
  name    = "Fedora Cloud"
  uid     = "Cloud"
  modules = [module.base-runtime, module.kernel, module.container-platform, module.cloud]
}

# A managed client: the Workstation's base without the desktop modules.
variant "client-node" {
  name    = "Fedora Client Node"
  uid     = "ClientNode"
  modules = [module.base-runtime, module.kernel, module.container-platform]
}

variant "high-availability" {
  name    = "Fedora High Availability"
  uid     = "HighAvailability"
  type    = "addon"
  modules = [module.high-availability]
}

# The atomic host: no package manager on the host, containers on top.
variant "atomic-host" {
  name    = "Fedora Atomic Host"
  uid     = "AtomicHost"
  modules = [module.base-runtime, module.kernel, module.container-platform]
}

locals {
  # Each installable variant, with the short code its disc labels use.
  installable = {
    workstation = { variant = variant.workstation, code = "WS" }
    server      = { variant = variant.server, code = "S" }
    cloud       = { variant = variant.cloud, code = "C" }
    client-node = { variant = variant.client-node, code = "CN" }
  }
}

# --- Artifacts.

# One flat repository per variant at compose/<Variant>/x86_64/os/: what
# dnf, Anaconda and mirrors read.
artifact "yumrepo" "os" {
  for_each = local.installable
  variant  = each.value.variant
}

# The add-on's own repository, closed against the Server repository it
# is installed beside; a Workstation change never rebuilds it.
artifact "yumrepo" "high-availability" {
  variant = variant.high-availability
  parent  = artifact.yumrepo.os["server"]
}

# A DVD per variant, carrying its repository; a package change rebuilds
# only the discs whose repository changed.
artifact "iso" "dvd" {
  for_each  = local.installable
  repo      = artifact.yumrepo.os[each.key]
  volume_id = "Fedora-${each.value.code}-dvd-x86_64-41"
}

# The atomic host, committed from the same modules the variants use.
artifact "ostree" "atomic-host" {
  variant = variant.atomic-host
  ref     = "fedora/41/x86_64/atomic-host"
  subject = "Fedora 41 Atomic Host"
}

# An installer that puts the atomic host's commit on a disk.
artifact "iso" "atomic-installer" {
  ostree    = artifact.ostree.atomic-host
  variant   = variant.atomic-host
  volume_id = "Fedora-AH-x86_64-41"
  kickstart = "lang en_US.UTF-8\nkeyboard us\ntimezone UTC\nzerombr\nclearpart --all --initlabel\nautopart\nreboot\n"
}

# The base container image: the base runtime and nothing else.
artifact "oci" "base" {
  modules = [module.base-runtime]
  tag     = "41"
  cmd     = ["/bin/bash"]
  env     = { LANG = "C.UTF-8" }
  labels  = { "org.fedoraproject.variant" = "container-base" }
}

# The httpd image, layered on the base: the base's layer unchanged, one
# more with the web module.
artifact "oci" "httpd" {
  base          = artifact.oci.base
  modules       = [module.web]
  tag           = "2.4"
  entrypoint    = ["/usr/sbin/httpd", "-DFOREGROUND"]
  exposed_ports = ["80"]
}

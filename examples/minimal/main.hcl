# A minimal product line: two modules, two variants, and a root
# filesystem tarball of each variant, built by the third-party "tarball"
# plugin in examples/plugins/tarball. (`make demo` composes
# examples/fedora.) To compose this one, from the repository's root:
#
#   (cd examples/plugins/tarball && go build -o ../../minimal/.strata/plugins/strata-plugin-tarball .)
#   go run ./tools/genrpms -spec examples/minimal/packages.json -out examples/minimal/rpms
#   bin/strata init examples/minimal
#   bin/strata apply -auto-approve examples/minimal

compose {
  name    = "Minimal"
  short   = "Minimal"
  version = "1"
  arches  = var.arches
}

variable "arches" {
  type        = list(string)
  default     = ["x86_64"]
  description = "Architectures to compose."
}

required_plugins {
  tarball = { version = ">= 1.0, < 2.0" }
}

# Every package the product is made from.
source "rpm_dir" "generated" {
  path = "./rpms"
}

group "core" {
  name      = "Core"
  mandatory = ["filesystem", "glibc", "bash", "coreutils"]
  default   = ["vim-minimal", "iputils"]
  optional  = ["ca-certificates"]
}

group "web-server" {
  name      = "Web Server"
  mandatory = ["httpd"]
  optional  = ["mod_ssl"]
}

# The base runtime changes slowly and is supported for years.
module "base-runtime" {
  stream  = "1"
  version = 20261125
  groups  = [group.core]
  lifecycle {
    eol = "2030-06-01"
    sla = "security_fixes"
  }
}

# The web module moves faster and needs the base runtime.
module "web" {
  stream   = "2.4"
  version  = 20261120
  groups   = [group.web-server]
  requires = [module.base-runtime]
  lifecycle {
    eol = "2028-01-01"
  }
}

variant "base" {
  name    = "Minimal Base"
  uid     = "Base" # compose/Base/<arch>/os
  modules = [module.base-runtime]
}

variant "server" {
  name    = "Minimal Server"
  uid     = "Server"
  modules = [module.base-runtime, module.web]
}

locals {
  variants = { base = variant.base, server = variant.server }
}

# One root filesystem per variant.
artifact "tarball" "rootfs" {
  for_each = local.variants
  variant  = each.value
  filename = "${each.key}-rootfs.tar.gz"
}

# One yum repository per variant, placed at compose/<Variant>/<arch>/os.
artifact "yumrepo" "os" {
  for_each = local.variants
  variant  = each.value
}

# An installer DVD of the server repository, placed at
# compose/Server/<arch>/iso/ and listed in images.json. A boot { tree =
# "DIR" } block with a lorax boot tree makes it bootable.
artifact "iso" "dvd" {
  repo      = artifact.yumrepo.os["server"]
  arch      = var.arches[0]
  volume_id = "Minimal-S-dvd-${var.arches[0]}-1"
}

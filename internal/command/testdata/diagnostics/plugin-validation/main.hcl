artifact "probe" "x" {
  message = "this is forbidden"
  extra {
    label = "fine"
  }
  extra {
    label = ""
  }
}

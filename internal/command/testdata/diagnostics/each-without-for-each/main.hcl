artifact "probe" "x" {
  message = each.key
}

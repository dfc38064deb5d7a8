artifact "probe" "x" {
  message = ["not", "a", "string"]
}

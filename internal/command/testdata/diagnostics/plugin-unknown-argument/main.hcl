artifact "probe" "x" {
  message = "hi"
  mesage  = "typo"
}

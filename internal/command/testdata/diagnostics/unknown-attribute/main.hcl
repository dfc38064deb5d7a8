group "core" {
  mandatory  = ["bash"]
  mandatroy2 = ["zsh"]
}

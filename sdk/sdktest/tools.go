package sdktest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// NeedTool returns the path of a command a test needs. When the command is
// missing the test is skipped, except under CI (CI set in the environment),
// where a missing tool is a failure: CI installs every tool a test uses.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; .ci/run must install it", name)
	}
	t.Skipf("%s is not installed", name)
	return ""
}

// SharedTestdata returns the path of the shared test data directory
// (shared/testdata beside the project checkout), found by walking up from
// the calling test's directory.
func SharedTestdata(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	for dir := filepath.Dir(file); ; {
		cand := filepath.Join(dir, "..", "shared", "testdata")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return filepath.Clean(cand)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared/testdata not found beside the project checkout")
		}
		dir = parent
	}
}

package sdktest

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
)

// Createrepo runs createrepo_c on dir.
func Createrepo(t testing.TB, dir string, args ...string) {
	t.Helper()
	bin := NeedTool(t, "createrepo_c")
	if out, err := exec.Command(bin, append(append([]string{"-q"}, args...), dir)...).CombinedOutput(); err != nil {
		t.Fatalf("createrepo_c %s: %v\n%s", dir, err, out)
	}
}

// DNFArgs are the options that make dnf use only the repositories a test
// names, as DESIGN.md prescribes on Debian.
func DNFArgs(repos map[string]string, cacheDir string) []string {
	args := []string{"--setopt=reposdir=/dev/null", "--setopt=skip_if_unavailable=False", "--releasever=1",
		"--setopt=cachedir=" + cacheDir, "--setopt=module_platform_id=platform:strata", "--nogpgcheck", "-q"}
	for id, dir := range repos {
		args = append(args, "--repofrompath="+id+",file://"+dir, "--repo="+id)
	}
	return args
}

// DNF runs dnf with DNFArgs and the given command; it returns the output
// and whether dnf succeeded.
func DNF(t testing.TB, repos map[string]string, args ...string) (string, bool) {
	t.Helper()
	bin := NeedTool(t, "dnf")
	all := append(DNFArgs(repos, t.TempDir()), args...)
	out, err := exec.Command(bin, all...).CombinedOutput()
	return string(out), err == nil
}

// Repoclosure runs dnf repoclosure on one repository and returns, per
// package NEVRA as dnf prints it, the unresolved dependencies.
func Repoclosure(t testing.TB, dir string) map[string][]string {
	t.Helper()
	return RepoclosureOf(t, map[string]string{"closure": dir})
}

// RepoclosureOf runs dnf repoclosure over repos (name → directory),
// checking only the repositories named in check (all when none), and
// returns each package's unresolved requirements.
func RepoclosureOf(t testing.TB, repos map[string]string, check ...string) map[string][]string {
	t.Helper()
	NeedTool(t, "dnf")
	args := []string{"repoclosure"}
	for _, c := range check {
		args = append(args, "--check", c)
	}
	out, _ := DNF(t, repos, args...)
	unresolved := map[string][]string{}
	pkg := ""
	s := bufio.NewScanner(strings.NewReader(out))
	for s.Scan() {
		line := s.Text()
		switch {
		case strings.HasPrefix(line, "package: "):
			pkg = strings.Fields(line)[1]
		case strings.HasPrefix(line, "    ") && pkg != "":
			unresolved[pkg] = append(unresolved[pkg], strings.TrimSpace(line))
		case strings.HasPrefix(line, "Error:") || strings.HasPrefix(line, "  unresolved"):
		default:
			if strings.TrimSpace(line) != "" {
				t.Fatalf("dnf repoclosure printed an unexpected line: %q\n%s", line, out)
			}
		}
	}
	return unresolved
}

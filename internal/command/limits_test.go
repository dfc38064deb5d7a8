package command_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/strata-build/strata/dsl"
)

// Hostile configurations end in diagnostics, not in a crash or in all
// the machine's memory: 100,000 nested parentheses, and a configuration
// of groups as large as strata reads, validated within a memory bound;
// one byte more is refused.
func TestHostileConfigurations(t *testing.T) {
	if testing.Short() {
		t.Skip("validates 8 MiB of groups")
	}
	p := newProject(t, map[string]string{"main.hcl": "a = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n"}, nil)
	contains(t, "validate", p.fails(1, "validate"), "Configuration nested too deeply", "main.hcl line 1")

	var b strings.Builder
	for i := 0; ; i++ {
		names := make([]string, 40)
		for j := range names {
			names[j] = fmt.Sprintf("%q", fmt.Sprintf("pkg-%d-%d", i, j))
		}
		g := fmt.Sprintf("group \"g%d\" {\n  name = \"Group %d\"\n  mandatory = [%s]\n}\n", i, i, strings.Join(names, ", "))
		if b.Len()+len(g) > dsl.MaxConfigSize {
			break
		}
		b.WriteString(g)
	}
	p.write(map[string]string{"main.hcl": b.String()})
	cmd := exec.Command(filepath.Join(binDir, "strata"), "validate")
	cmd.Dir, cmd.Env = p.dir, p.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("validate of %d bytes of groups: %v\n%s", b.Len(), err, out)
	}
	const bound = 1536 << 20
	if rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10; rss > bound {
		t.Errorf("validating %d bytes of groups took %d MB, over the bound of %d MB", b.Len(), rss>>20, bound>>20)
	}
	p.write(map[string]string{"more.hcl": strings.Repeat("#", dsl.MaxConfigSize-b.Len()+1)})
	contains(t, "validate", p.fails(1, "validate"), "Configuration too large")
}

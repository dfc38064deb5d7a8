package testutil

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Nomad is a Nomad cluster on 127.0.0.1: a dev agent (server and
// client) and more client agents, each a node that runs raw_exec tasks.
type Nomad struct {
	Address string
	agents  []*nomadAgent
}

type nomadAgent struct {
	cmd  *exec.Cmd
	data string
	log  *os.File
}

// StartNomad starts a dev agent and clients-1 more client agents, and
// waits until every node is ready; they are stopped, and their tmpfs
// mounts undone, when the test ends.
func StartNomad(t testing.TB, clients int) *Nomad {
	t.Helper()
	bin := needNomad(t)
	dir := t.TempDir()
	http, rpc, serf := FreePort(t), FreePort(t), FreePort(t)
	n := &Nomad{Address: fmt.Sprintf("http://127.0.0.1:%d", http)}
	t.Cleanup(n.stop)
	common := `plugin "raw_exec" {
  config { enabled = true }
}
`
	denylist := `  options = { "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean" }
`
	server := fmt.Sprintf(`%sdata_dir = %q
ports {
  http = %d
  rpc  = %d
  serf = %d
}
client {
%s}
`, common, filepath.Join(dir, "dev"), http, rpc, serf, denylist)
	n.start(t, bin, filepath.Join(dir, "dev"), server, "-dev", "-bind=127.0.0.1", "-network-interface=lo")
	for i := 1; i < clients; i++ {
		data := filepath.Join(dir, fmt.Sprintf("client%d", i))
		cfg := fmt.Sprintf(`%sname     = "client%d"
data_dir = %q
bind_addr = "127.0.0.1"
ports {
  http = %d
}
advertise {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}
client {
  enabled = true
  network_interface = "lo"
  servers = ["127.0.0.1:%d"]
%s}
`, common, i, data, FreePort(t), rpc, denylist)
		n.start(t, bin, data, cfg, "-client")
	}
	n.waitNodes(t, clients)
	return n
}

func (n *Nomad) start(t testing.TB, bin, data, cfg string, args ...string) {
	t.Helper()
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, "agent.hcl")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(data, "agent.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(append([]string{"agent"}, args...), "-config="+path)...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n.agents = append(n.agents, &nomadAgent{cmd: cmd, data: data, log: log})
}

// waitNodes waits until want nodes are ready.
func (n *Nomad) waitNodes(t testing.TB, want int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(n.Address + "/v1/nodes"); err == nil {
			var nodes []struct{ Status string }
			json.NewDecoder(resp.Body).Decode(&nodes)
			resp.Body.Close()
			ready := 0
			for _, node := range nodes {
				if node.Status == "ready" {
					ready++
				}
			}
			if ready >= want {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	var logs []string
	for _, a := range n.agents {
		data, _ := os.ReadFile(a.log.Name())
		logs = append(logs, string(data))
	}
	t.Fatalf("Nomad: %d nodes did not become ready:\n%s", want, strings.Join(logs, "\n"))
}

// Jobs lists the cluster's jobs: their ids and meta.
func (n *Nomad) Jobs(t testing.TB) map[string]map[string]string {
	t.Helper()
	resp, err := http.Get(n.Address + "/v1/jobs?meta=true")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jobs []struct {
		ID   string
		Meta map[string]string
	}
	if err := json.NewDecoder(resp.Body).Decode(&jobs); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, j := range jobs {
		out[j.ID] = j.Meta
	}
	return out
}

// stop kills the agents by process id and undoes the mounts their
// clients left under their data directories.
func (n *Nomad) stop() {
	for i := len(n.agents) - 1; i >= 0; i-- {
		a := n.agents[i]
		a.cmd.Process.Kill()
		a.cmd.Wait()
		a.log.Close()
	}
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return
	}
	defer f.Close()
	var mounts []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		for _, a := range n.agents {
			if len(fields) > 1 && strings.HasPrefix(fields[1], a.data+"/") {
				mounts = append(mounts, fields[1])
			}
		}
	}
	for i := len(mounts) - 1; i >= 0; i-- {
		syscall.Unmount(mounts[i], syscall.MNT_DETACH)
	}
}

// needNomad finds the nomad binary; without it the test is skipped, or
// fails under CI. Nomad is not a Debian package: make nomad builds it.
func needNomad(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("nomad"); err == nil {
		return p
	}
	what := "nomad is not installed (not a Debian package: make nomad builds it from the module proxy, and make test-deps puts it on the PATH)"
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; .ci/run must provide it", what)
	}
	t.Skip(what)
	return ""
}

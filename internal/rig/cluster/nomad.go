package cluster

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
	"time"
)

// Nomad is a Nomad cluster: a dev agent (server and client) and more
// client agents, each a node that runs raw_exec tasks.
type Nomad struct {
	Address string
	agents  []*nomadAgent
}

type nomadAgent struct {
	cmd  *exec.Cmd
	data string
	log  *os.File
}

// StartNomad starts, from the binary bin and in dir, a dev agent and
// clients-1 more client agents, and waits until every node is ready.
// Stop stops them.
func StartNomad(bin, dir string, clients int) (*Nomad, error) {
	ports := make([]int, 3+clients)
	for i := range ports {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	httpPort, rpc, serf := ports[0], ports[1], ports[2]
	n := &Nomad{Address: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	common := "plugin \"raw_exec\" {\n  config { enabled = true }\n}\n"
	denylist := "  options = { \"fingerprint.denylist\" = \"env_aws,env_gce,env_azure,env_digitalocean\" }\n"
	server := fmt.Sprintf("%sdata_dir = %q\nports {\n  http = %d\n  rpc  = %d\n  serf = %d\n}\nclient {\n%s}\n",
		common, filepath.Join(dir, "dev"), httpPort, rpc, serf, denylist)
	if err := n.start(bin, filepath.Join(dir, "dev"), server, "-dev", "-bind=127.0.0.1", "-network-interface=lo"); err != nil {
		return nil, err
	}
	for i := 1; i < clients; i++ {
		data := filepath.Join(dir, fmt.Sprintf("client%d", i))
		cfg := fmt.Sprintf(`%sname      = "client%d"
data_dir  = %q
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
  enabled           = true
  network_interface = "lo"
  servers           = ["127.0.0.1:%d"]
%s}
`, common, i, data, ports[2+i], rpc, denylist)
		if err := n.start(bin, data, cfg, "-client"); err != nil {
			n.Stop()
			return nil, err
		}
	}
	if err := n.waitNodes(clients); err != nil {
		n.Stop()
		return nil, err
	}
	return n, nil
}

func (n *Nomad) start(bin, data, cfg string, args ...string) error {
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	path := filepath.Join(data, "agent.hcl")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(data, "agent.log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, append(append([]string{"agent"}, args...), "-config="+path)...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		return err
	}
	n.agents = append(n.agents, &nomadAgent{cmd: cmd, data: data, log: log})
	return nil
}

// waitNodes waits until want nodes are ready.
func (n *Nomad) waitNodes(want int) error {
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
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	var logs []string
	for _, a := range n.agents {
		data, _ := os.ReadFile(a.log.Name())
		logs = append(logs, string(data))
	}
	return fmt.Errorf("Nomad: %d nodes did not become ready:\n%s", want, strings.Join(logs, "\n"))
}

// Jobs lists the cluster's jobs: their ids and meta.
func (n *Nomad) Jobs() (map[string]map[string]string, error) {
	resp, err := http.Get(n.Address + "/v1/jobs?meta=true")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var jobs []struct {
		ID   string
		Meta map[string]string
	}
	if err := json.NewDecoder(resp.Body).Decode(&jobs); err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, j := range jobs {
		out[j.ID] = j.Meta
	}
	return out, nil
}

// Stop kills the agents by process id and undoes the mounts their
// clients left under their data directories.
func (n *Nomad) Stop() {
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

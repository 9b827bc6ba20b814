package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// buildLapak builds the lapak command into dir and returns the binary's path.
func buildLapak(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "lapak")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/lapak")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build lapak: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot is the directory of the lapak module the benchmark is run in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the lapak module: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run lapakbench inside the lapak module, where ./cmd/lapak builds")
	}
	return filepath.Dir(gomod), nil
}

// freeAddr returns a loopback address with a port nobody listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// lapakProcess is `lapak serve` running as a child process, its output going to a log file.
type lapakProcess struct {
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{} // closed once the process is gone; then waitErr is set
	waitErr error
}

// startLapak runs `lapak serve` with exactly env, and waits until its /healthz at addr answers.
func startLapak(ctx context.Context, bin string, env []string, addr, logPath string) (*lapakProcess, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own copy
	p := &lapakProcess{cmd: exec.Command(bin, "serve"), logPath: logPath, exited: make(chan struct{})}
	p.cmd.Env, p.cmd.Stdout, p.cmd.Stderr = env, logFile, logFile
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start lapak: %w", err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitHealthy(ctx, "http://"+addr+"/healthz", 30*time.Second); err != nil {
		_ = p.stop()
		return nil, err
	}
	return p, nil
}

// waitHealthy polls /healthz until it answers 200, the process exits or the deadline passes.
func (p *lapakProcess) waitHealthy(ctx context.Context, url string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if healthy(ctx, url) {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("lapak exited before it was healthy: %v%s", p.waitErr, p.logTail())
		case <-ctx.Done():
			return fmt.Errorf("lapak not healthy at %s within %s%s", url, within, p.logTail())
		case <-tick.C:
		}
	}
}

func healthy(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop sends SIGTERM and waits for lapak to finish what is in flight and exit 0.
func (p *lapakProcess) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop lapak: %w", err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("lapak did not stop within 30s of SIGTERM%s", p.logTail())
	}
	if p.waitErr != nil {
		return fmt.Errorf("lapak did not exit cleanly: %w%s", p.waitErr, p.logTail())
	}
	return nil
}

// logLines returns what lapak logged, one line each.
func (p *lapakProcess) logLines() []string {
	data, err := os.ReadFile(p.logPath)
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// logTail returns the last lines lapak logged, to add to an error.
func (p *lapakProcess) logTail() string {
	lines := p.logLines()
	if len(lines) == 0 {
		return " (lapak logged nothing)"
	}
	return "\nlapak's last log lines:\n  " + strings.Join(lines[max(0, len(lines)-20):], "\n  ")
}

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// cmdHealthcheck asks the local node for /healthz. Container images have
// no curl; this is their HEALTHCHECK.
func cmdHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora healthcheck", "[flags]", "Exit 0 if the node listening on AGORA_ADDR answers /healthz.")
	cfg, err := parseConfig(e, fs, args, "addr")
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return settingErr("AGORA_ADDR", err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("node not answering: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("node answered /healthz with %s", resp.Status)
	}
	return nil
}

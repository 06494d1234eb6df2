package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func loadConfig(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	load := configFlags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return load()
}

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.BaseURL.String() != "http://localhost:8080" || c.DataDir != "./data" ||
		c.DatabaseURL != "" || c.BlobURL != "" || c.LogFormat != "text" || c.NodeName != "Agora" || c.AttachmentQuota != 200<<20 ||
		len(c.TrustedProxies) != 0 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestConfigPrecedence(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "db-url")
	if err := os.WriteFile(secret, []byte("postgres://from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		got  func(Config) string
		want string
	}{
		{"env over default", nil, map[string]string{"AGORA_NODE_NAME": "Paris 15e"}, func(c Config) string { return c.NodeName }, "Paris 15e"},
		{"flag over env", []string{"--node-name", "Lyon 3e"}, map[string]string{"AGORA_NODE_NAME": "Paris 15e"}, func(c Config) string { return c.NodeName }, "Lyon 3e"},
		{"secret from _FILE", nil, map[string]string{"AGORA_DATABASE_URL_FILE": secret}, func(c Config) string { return c.DatabaseURL }, "postgres://from-file"},
		{"env over _FILE", nil, map[string]string{"AGORA_DATABASE_URL": "postgres://env", "AGORA_DATABASE_URL_FILE": secret}, func(c Config) string { return c.DatabaseURL }, "postgres://env"},
		{"base URL trailing slash", nil, map[string]string{"AGORA_BASE_URL": "https://agora.example.org/"}, func(c Config) string { return c.BaseURL.String() }, "https://agora.example.org"},
		{"json logs", nil, map[string]string{"AGORA_LOG_FORMAT": "json"}, func(c Config) string { return c.LogFormat }, "json"},
		{"debug level", nil, map[string]string{"AGORA_LOG_LEVEL": "debug"}, func(c Config) string { return c.LogLevel.String() }, "DEBUG"},
		{"quota in GiB", nil, map[string]string{"AGORA_ATTACHMENT_QUOTA": "1GiB"}, func(c Config) string { return strconv.FormatInt(c.AttachmentQuota, 10) }, "1073741824"},
		{"quota in MB", []string{"--attachment-quota", "50MB"}, nil, func(c Config) string { return strconv.FormatInt(c.AttachmentQuota, 10) }, "52428800"},
		{"quota in bytes", nil, map[string]string{"AGORA_ATTACHMENT_QUOTA": "1000"}, func(c Config) string { return strconv.FormatInt(c.AttachmentQuota, 10) }, "1000"},
		{"no quota", nil, map[string]string{"AGORA_ATTACHMENT_QUOTA": "0"}, func(c Config) string { return strconv.FormatInt(c.AttachmentQuota, 10) }, "0"},
		{"base URL follows --addr", []string{"--addr", ":8091"}, nil, func(c Config) string { return fmt.Sprint(c.BaseURL, " ", c.BaseURLSet) }, "http://localhost:8091 false"},
		{"base URL follows AGORA_ADDR", nil, map[string]string{"AGORA_ADDR": "127.0.0.1:9000"}, func(c Config) string { return c.BaseURL.String() }, "http://localhost:9000"},
		{"port 0 keeps the default until serve listens", []string{"--addr", "127.0.0.1:0"}, nil, func(c Config) string { return c.BaseURL.String() }, "http://localhost:8080"},
		{"a base URL given wins over --addr", []string{"--addr", ":8091"}, map[string]string{"AGORA_BASE_URL": "https://agora.example.org"}, func(c Config) string { return fmt.Sprint(c.BaseURL, " ", c.BaseURLSet) }, "https://agora.example.org true"},
		{"open311 limits by default", nil, nil, func(c Config) string { return fmt.Sprint(c.Open311Limits) }, "[{60 1m0s} {1000 1h0m0s}]"},
		{"open311 limits", nil, map[string]string{"AGORA_OPEN311_LIMITS": "10/30s"}, func(c Config) string { return fmt.Sprint(c.Open311Limits) }, "[{10 30s}]"},
		{"a proxy", nil, map[string]string{"AGORA_TRUSTED_PROXIES": "127.0.0.1/32, 10.0.0.0/8"}, func(c Config) string { return fmt.Sprint(c.TrustedProxies) }, "[127.0.0.1/32 10.0.0.0/8]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.got(c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"AGORA_ADDR": "8080"}, "AGORA_ADDR (--addr)"},
		{map[string]string{"AGORA_BASE_URL": "ftp://x"}, "AGORA_BASE_URL (--base-url)"},
		{map[string]string{"AGORA_BASE_URL": "https://x.org/agora"}, "no path"},
		{map[string]string{"AGORA_BASE_URL": "http://127.0.0.1:8080"}, "passkeys only work with a host name: on this machine use http://localhost:8080"},
		{map[string]string{"AGORA_BASE_URL": "https://[2001:db8::1]"}, "names an IP address"},
		{map[string]string{"AGORA_LOG_LEVEL": "loud"}, "AGORA_LOG_LEVEL"},
		{map[string]string{"AGORA_LOG_FORMAT": "xml"}, "AGORA_LOG_FORMAT"},
		{map[string]string{"AGORA_ATTACHMENT_QUOTA": "lots"}, "AGORA_ATTACHMENT_QUOTA (--attachment-quota)"},
		{map[string]string{"AGORA_ATTACHMENT_QUOTA": "-1M"}, "AGORA_ATTACHMENT_QUOTA"},
		{map[string]string{"AGORA_ATTACHMENT_QUOTA": "9999999T"}, "AGORA_ATTACHMENT_QUOTA"},
		{map[string]string{"AGORA_NODE_NAME": "   "}, "AGORA_NODE_NAME"},
		{map[string]string{"AGORA_OPEN311_LIMITS": "60/1d"}, "AGORA_OPEN311_LIMITS (--open311-limits)"},
		{map[string]string{"AGORA_DATABASE_URL_FILE": "/no/such/file"}, "AGORA_DATABASE_URL (--database-url): read AGORA_DATABASE_URL_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := loadConfig(t, nil, tt.env)
			var se *settingError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a settingError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

package main

import (
	"flag"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func parseConfig(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c Config
	r := configFlags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.finish(r)
}

func TestSignInFlags(t *testing.T) {
	t.Run("OK trusted proxies take addresses and prefixes", func(t *testing.T) {
		c, err := parseConfig(t, "--trusted-proxies", "10.0.0.1, 192.0.2.7/24,::1")
		if err != nil {
			t.Fatal(err)
		}
		want := []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("::1/128")}
		if !slices.Equal(c.TrustedProxies, want) {
			t.Fatalf("TrustedProxies %v, want %v", c.TrustedProxies, want)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrInvalid a trusted proxy that is no address names the flag", []string{"--trusted-proxies", "proxy.example"}, "--trusted-proxies"},
		{"ErrInvalid zero free failures names the flag", []string{"--login-user-failures", "0"}, "--login-user-failures"},
		{"ErrInvalid a zero idle timeout names the flag", []string{"--session-idle-timeout", "0s"}, "--session-idle-timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseConfig(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

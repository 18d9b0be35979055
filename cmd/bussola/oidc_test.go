package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports"
)

func TestOIDCFlags(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	groups := filepath.Join(dir, "groups.json")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(secret, "s3cret-of-the-client\n")
	write(groups, `{"default_entity": "comune-aurelia", "groups": {"bussola-hr": ["hr"], "bussola-direzione": ["executive@comune-borgoverde"]}}`)
	full := oidcConfig{Issuer: "https://sso.example/realms/pa", ClientID: "bussola", ClientSecretFile: secret,
		RedirectURL: "https://bussola.example/login/oidc/callback", GroupsClaim: "groups", GroupsFile: groups}

	t.Run("OK", func(t *testing.T) {
		got, err := full.reports()
		if err != nil {
			t.Fatal(err)
		}
		if got.ClientSecret != "s3cret-of-the-client" || got.Groups["bussola-direzione"]["comune-borgoverde"][0] != reports.RoleExecutive ||
			got.Groups["bussola-hr"]["comune-aurelia"][0] != reports.RoleHR {
			t.Fatalf("config %+v", got)
		}
	})
	t.Run("OK without single sign-on", func(t *testing.T) {
		got, err := oidcConfig{GroupsClaim: "groups"}.reports()
		if err != nil || got.Issuer != "" {
			t.Fatalf("config %+v, err %v", got, err)
		}
	})
	badGroups := filepath.Join(dir, "bad.json")
	write(badGroups, `{"group": {"bussola-hr": ["hr"]}}`)
	for _, tc := range []struct {
		name string
		edit func(c *oidcConfig)
		want string
	}{
		{"ErrNoIssuer", func(c *oidcConfig) { c.Issuer = "" }, "--oidc-issuer: is required"},
		{"ErrNoClientID", func(c *oidcConfig) { c.ClientID = "" }, "--oidc-client-id: is required"},
		{"ErrNoSecretFile", func(c *oidcConfig) { c.ClientSecretFile = filepath.Join(dir, "absent") }, "--oidc-client-secret-file"},
		{"ErrNoRedirect", func(c *oidcConfig) { c.RedirectURL = "" }, "--oidc-redirect-url: is required"},
		{"ErrGroupsFileTypo", func(c *oidcConfig) { c.GroupsFile = badGroups }, `--oidc-groups-file: parse group mapping file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := full
			tc.edit(&c)
			if _, err := c.reports(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

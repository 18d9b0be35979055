package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/bussola-pa/bussola/reports"
)

// oidcConfig is the single sign-on part of Config: sign-in through the
// entity's identity provider, next to the local accounts of --users-file.
type oidcConfig struct {
	Issuer           string
	ClientID         string
	ClientSecretFile string
	RedirectURL      string
	GroupsClaim      string
	GroupsFile       string
}

// oidcFlags registers the single sign-on flags on fs.
func oidcFlags(fs *flag.FlagSet, c *oidcConfig) {
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envOr(env, def), usage+" ($"+env+")")
	}
	str(&c.Issuer, "oidc-issuer", "BUSSOLA_OIDC_ISSUER", "", "issuer URL of the entity's OpenID Connect provider (Keycloak realm, Entra ID tenant, ADFS); empty disables single sign-on")
	str(&c.ClientID, "oidc-client-id", "BUSSOLA_OIDC_CLIENT_ID", "", "client ID of Bussola at the provider")
	str(&c.ClientSecretFile, "oidc-client-secret-file", "BUSSOLA_OIDC_CLIENT_SECRET_FILE", "", "file holding the client secret (one line)")
	str(&c.RedirectURL, "oidc-redirect-url", "BUSSOLA_OIDC_REDIRECT_URL", "", "callback URL registered at the provider: the public URL of /login/oidc/callback")
	str(&c.GroupsClaim, "oidc-groups-claim", "BUSSOLA_OIDC_GROUPS_CLAIM", "groups", "ID token claim listing the user's groups (a dotted path such as realm_access.roles also works)")
	str(&c.GroupsFile, "oidc-groups-file", "BUSSOLA_OIDC_GROUPS_FILE", "", "JSON file mapping provider groups to role@entity grants; users with no mapped group are refused")
}

// reports turns the flags into the report server's configuration, reading
// the secret and the group mapping; without --oidc-issuer it is the zero
// value (no single sign-on).
func (c oidcConfig) reports() (reports.OIDCConfig, error) {
	if c.Issuer == "" {
		if c.ClientID != "" || c.ClientSecretFile != "" || c.RedirectURL != "" || c.GroupsFile != "" {
			return reports.OIDCConfig{}, errors.New("--oidc-issuer: is required when any other --oidc-* flag is set")
		}
		return reports.OIDCConfig{}, nil
	}
	for _, f := range []struct{ name, v string }{
		{"--oidc-client-id", c.ClientID}, {"--oidc-client-secret-file", c.ClientSecretFile},
		{"--oidc-redirect-url", c.RedirectURL}, {"--oidc-groups-file", c.GroupsFile},
	} {
		if f.v == "" {
			return reports.OIDCConfig{}, fmt.Errorf("%s: is required with --oidc-issuer", f.name)
		}
	}
	b, err := os.ReadFile(c.ClientSecretFile)
	if err != nil {
		return reports.OIDCConfig{}, fmt.Errorf("--oidc-client-secret-file: %w", err)
	}
	secret := strings.TrimSpace(string(b))
	if secret == "" || strings.ContainsAny(secret, "\r\n") {
		return reports.OIDCConfig{}, fmt.Errorf("--oidc-client-secret-file %s: must hold the secret on one line", c.ClientSecretFile)
	}
	groups, err := reports.ReadGroupRolesFile(c.GroupsFile)
	if err != nil {
		return reports.OIDCConfig{}, fmt.Errorf("--oidc-groups-file: %w", err)
	}
	return reports.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret,
		RedirectURL: c.RedirectURL, GroupsClaim: c.GroupsClaim, Groups: groups}, nil
}

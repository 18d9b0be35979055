package reports

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// EChartsVersion is the npm version of echarts whose dist/ directory the
// application serves: the one go-echarts v2.6.7 is written against.
const EChartsVersion = "5.4.3"

// Config configures the report server. cmd/bussola fills it from flags and
// environment.
type Config struct {
	// BaseURL is the application's public base URL path or absolute URL,
	// ending in "/" (default "/"). ECharts assets are requested from
	// BaseURL+"assets/echarts/".
	BaseURL string
	// AssetsDir holds echarts.min.js (npm echarts@EChartsVersion,
	// package/dist). Default DefaultAssetsDir().
	AssetsDir string
	// SessionKey signs the login form's CSRF token; at least 32 bytes.
	// Empty generates a random key at start. Sessions themselves are kept
	// in memory and end on restart whatever the key.
	SessionKey []byte
	// SessionIdleTimeout ends a session unused for this long (default
	// DefaultSessionIdleTimeout).
	SessionIdleTimeout time.Duration
	// SessionLifetime ends a session this long after sign-in, used or not
	// (default DefaultSessionLifetime).
	SessionLifetime time.Duration
	// Login holds the sign-in rate limits; zero fields take the defaults.
	Login LoginLimits
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client address (for the per-address sign-in limit). Empty:
	// the connection's address is the client's.
	TrustedProxies []netip.Prefix
	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// APITokensFile is the file of the report users' API tokens (see
	// APITokens); empty: the JSON APIs accept session cookies only.
	APITokensFile string
	// Privacy holds the minimum group sizes per tenant.
	Privacy PrivacyConfig
	// OIDC configures single sign-on; a zero value disables it.
	OIDC OIDCConfig
	// Labels are the display names of entities, units, grades, cohorts,
	// waves, pages and instruments per tenant (labels.go); nil shows every
	// identifier in its readable form.
	Labels Labels
	// ChromiumPath is the Chromium (or Chrome) binary the PDF export
	// prints pages with. Empty looks up DefaultChromiumNames in PATH; with
	// none found the PDF export answers 503 and the rest works.
	ChromiumPath string
}

// DefaultAssetsDir is where the ECharts dist directory is looked for:
// $BUSSOLA_ASSETS_DIR, else <user cache dir>/bussola/echarts/<version>/package/dist.
func DefaultAssetsDir() string {
	if d := os.Getenv("BUSSOLA_ASSETS_DIR"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "bussola", "echarts", EChartsVersion, "package", "dist")
}

func (c Config) withDefaults() (Config, error) {
	if c.BaseURL == "" {
		c.BaseURL = "/"
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		return c, fmt.Errorf("reports config BaseURL: %q must end with /", c.BaseURL)
	}
	if c.AssetsDir == "" {
		c.AssetsDir = DefaultAssetsDir()
	}
	if _, err := os.Stat(filepath.Join(c.AssetsDir, "echarts.min.js")); err != nil {
		return c, fmt.Errorf("reports config AssetsDir: %s has no echarts.min.js (fetch npm echarts@%s): %w", c.AssetsDir, EChartsVersion, err)
	}
	if len(c.SessionKey) > 0 && len(c.SessionKey) < 32 {
		return c, errors.New("reports config SessionKey: must be at least 32 bytes")
	}
	if c.SessionIdleTimeout == 0 {
		c.SessionIdleTimeout = DefaultSessionIdleTimeout
	}
	if c.SessionLifetime == 0 {
		c.SessionLifetime = DefaultSessionLifetime
	}
	if c.SessionIdleTimeout < 0 || c.SessionLifetime < 0 {
		return c, errors.New("reports config SessionIdleTimeout, SessionLifetime: must be positive")
	}
	var err error
	if c.Login, err = c.Login.withDefaults(); err != nil {
		return c, fmt.Errorf("reports config: %w", err)
	}
	if err := c.Privacy.Validate(); err != nil {
		return c, fmt.Errorf("reports config: %w", err)
	}
	if err := c.Labels.Validate(); err != nil {
		return c, fmt.Errorf("reports config Labels: %w", err)
	}
	return c, nil
}

// assetsHost is go-echarts' AssetsHost: the app's own asset path, with the
// trailing slash go-echarts requires.
func (c Config) assetsHost() string { return c.BaseURL + "assets/echarts/" }

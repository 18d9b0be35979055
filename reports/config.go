package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	// SessionKey signs session cookies and CSRF tokens; at least 32 bytes.
	// Empty generates a random key at start (sessions end on restart).
	SessionKey []byte
	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// APITokensFile is the file of the report users' API tokens (see
	// APITokens); empty: the JSON APIs accept session cookies only.
	APITokensFile string
	// Privacy holds the minimum group sizes per tenant.
	Privacy PrivacyConfig
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
	if err := c.Privacy.Validate(); err != nil {
		return c, fmt.Errorf("reports config: %w", err)
	}
	return c, nil
}

// assetsHost is go-echarts' AssetsHost: the app's own asset path, with the
// trailing slash go-echarts requires.
func (c Config) assetsHost() string { return c.BaseURL + "assets/echarts/" }

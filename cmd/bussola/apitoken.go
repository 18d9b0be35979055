package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

const apiTokenUsage = `usage: bussola api-token create --user NAME [--label TEXT] [--expires DURATION]
       bussola api-token list
       bussola api-token revoke --id ID

API tokens let a report user's programs read the assessment API
(GET /api/v1/assessment/results) with that user's roles: an administrator
creates one on the server, the token is printed once, and the tokens file
(--api-tokens-file, default api-tokens.json in --data-dir, mode 0600) keeps
only its SHA-256. The running service sees changes to the file at once.
Use it as: Authorization: Bearer bsk_...

flags (and the service flags --data-dir, --users-file, --api-tokens-file):
`

// runAPIToken runs "bussola api-token".
func runAPIToken(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		fmt.Fprint(stderr, apiTokenUsage)
		return errors.New("api-token: an action is required: create, list or revoke")
	}
	action := args[0]
	var user, label, id string
	var expires time.Duration
	cfg, _, err := parseService("api-token "+action, args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&user, "user", "", "report user the token acts as (create; required)")
		fs.StringVar(&label, "label", "", "what the token is for, shown by list (create)")
		fs.DurationVar(&expires, "expires", 0, "lifetime of the token, e.g. 2160h (create; 0 = until revoked)")
		fs.StringVar(&id, "id", "", "id of the token to revoke, as list shows it (revoke; required)")
		fs.Usage = func() { fmt.Fprint(fs.Output(), apiTokenUsage); fs.PrintDefaults() }
	})
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("api-token: %w", err)
	}
	path := apiTokensFile(cfg)
	f, err := reports.ReadAPITokensFile(path)
	if err != nil {
		return fmt.Errorf("api-token: %w", err)
	}
	switch action {
	case "list":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "id\tuser\tlabel\tcreated\texpires")
		for _, t := range f.Tokens {
			exp := "never"
			if !t.Expires.IsZero() {
				exp = t.Expires.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Username, t.Label, t.Created.Format(time.RFC3339), exp)
		}
		return tw.Flush()
	case "revoke":
		if id == "" {
			return errors.New("api-token revoke: --id is required (bussola api-token list shows the ids)")
		}
		if f, err = reports.RevokeAPIToken(f, id); err != nil {
			return fmt.Errorf("api-token revoke: %w", err)
		}
		if err := reports.WriteAPITokensFile(path, f); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", id)
		return nil
	}
	if user == "" {
		return errors.New("api-token create: --user is required")
	}
	if expires < 0 {
		return fmt.Errorf("api-token create: --expires must be 0 (never) or positive, got %s", expires)
	}
	usersPath := cfg.UsersFile
	if usersPath == "" {
		usersPath = filepath.Join(cfg.DataDir, "users.json")
	}
	users, err := reports.NewFileUserStore(usersPath)
	if err != nil {
		return fmt.Errorf("api-token create: --users-file: %w", err)
	}
	if _, err := users.Lookup(context.Background(), user); err != nil {
		return fmt.Errorf("api-token create: --user: %q is not in the users file %s", user, usersPath)
	}
	tok, rec, err := reports.NewAPIToken(user, label, time.Now(), expires)
	if err != nil {
		return err
	}
	f.Tokens = append(f.Tokens, rec)
	if err := reports.WriteAPITokensFile(path, f); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "created API token %s for %s in %s; it is shown only now:\n", rec.ID, user, path)
	fmt.Fprintln(stdout, tok)
	return nil
}

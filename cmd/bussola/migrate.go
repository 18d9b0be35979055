package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

// migrate applies (or prints) the schema for the configured ClickHouse.
func migrate(ctx context.Context, cfg Config, log *slog.Logger, print bool, stdout io.Writer) error {
	ddl := schemas.DDLOptions{Database: cfg.Database, Cluster: cfg.Cluster, RetentionDays: cfg.RetentionDays}
	if print {
		for _, s := range schemas.MigrationsTable(ddl) {
			fmt.Fprintf(stdout, "%s;\n\n", s)
		}
		ms, err := schemas.Migrations(ddl)
		if err != nil {
			return err
		}
		for _, m := range ms {
			fmt.Fprintf(stdout, "-- migration %04d_%s\n", m.Version, m.Name)
			for _, s := range m.Statements {
				fmt.Fprintf(stdout, "%s;\n\n", s)
			}
		}
		return nil
	}
	url := cfg.ClickHouseURL
	if cfg.Embedded {
		ch, err := chembed.Start(ctx, embeddedClickHouse(cfg.DataDir, "127.0.0.1:0", log))
		if err != nil {
			return fmt.Errorf("embedded clickhouse: %w", err)
		}
		defer ch.Close()
		url = ch.ServiceURL() + "/"
	}
	st, err := clickhouse.Open(ctx, clickhouse.Config{URL: url, DDL: ddl})
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema up to date in database %s (applied now: %v)\n", cfg.Database, applied)
	return nil
}

// surveyChecker validates survey answers against the built-in instruments.
func surveyChecker() schemas.InstrumentChecker {
	list, err := schemas.BuiltinInstruments()
	if err != nil {
		panic(fmt.Sprintf("built-in instruments are invalid: %v", err)) // caught by schemas tests
	}
	return schemas.Checker(list)
}

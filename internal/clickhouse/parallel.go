package clickhouse

import "sync"

// parallel runs the parts of a page at once (queries wait on ClickHouse,
// estimators use the other core) and returns the first part's error in
// argument order.
func parallel(parts ...func() error) error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = part()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

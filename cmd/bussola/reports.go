package main

import "github.com/gin-gonic/gin"

// mountReports mounts the pages on the service's router: for now the
// status page with its own ECharts assets.
func mountReports(m *Main, r *gin.Engine) error {
	mountStatus(m, r, true)
	return nil
}

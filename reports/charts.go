package reports

import (
	"encoding/json"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// palette is Okabe and Ito's colour-blind-safe palette.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// sequential is a viridis ramp (perceptually uniform, colour-blind safe)
// for heatmaps.
var sequential = []string{"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"}

type series struct {
	Name   string
	Data   []any
	Dashed bool
}

// common sets the options every chart shares: id, size, palette, ARIA
// description and decal patterns, tooltip and toolbox.
//
// grid is the plot area: go-echarts adds one grid per WithGridOpts and
// the axes use the first, so each chart sets its only grid here.
func common(id, title, trigger string, zoom bool, grid opts.Grid) []charts.GlobalOpts {
	tb := &opts.ToolBoxFeature{
		SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: id, Title: " "},
	}
	if zoom {
		tb.DataZoom = &opts.ToolBoxFeatureDataZoom{Show: opts.Bool(true), Title: map[string]string{"zoom": " ", "back": " "}}
		tb.Restore = &opts.ToolBoxFeatureRestore{Show: opts.Bool(true), Title: " "}
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "360px"}),
		charts.WithColorsOpts(opts.Colors(palette)),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: title}, Decal: &opts.AriaDecal{Show: opts.Bool(true)}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "10", Feature: tb}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithGridOpts(grid),
	}
}

// plotGrid is the plot area of a chart: labels inside, the given margins.
func plotGrid(left, top, bottom string) opts.Grid {
	return opts.Grid{ContainLabel: opts.Bool(true), Left: left, Right: "24", Top: top, Bottom: bottom}
}

// optionOf renders a go-echarts chart into its option map, as plain JSON
// values (the form that golden files and pages carry).
func optionOf(c interface {
	Validate()
	JSON() map[string]interface{}
}) map[string]any {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		panic("reports: chart option does not marshal: " + err.Error())
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func barChart(id, title string, cats []string, ss []series, horizontal bool, stack string, zoom bool) map[string]any {
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(id, title, "axis", zoom, plotGrid("8", "36", "36"))...)
	bar.SetXAxis(cats)
	bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cats, AxisLabel: &opts.AxisLabel{Interval: "0"}}))
	for _, s := range ss {
		data := make([]opts.BarData, len(s.Data))
		for i, v := range s.Data {
			data[i] = opts.BarData{Value: v}
		}
		bar.AddSeries(s.Name, data, charts.WithBarChartOpts(opts.BarChart{Stack: stack}))
	}
	if horizontal { // categories down the y axis, values along x
		bar.XYReversal()
		bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}))
	}
	if zoom {
		bar.SetGlobalOptions(charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}))
	}
	return optionOf(bar)
}

func lineChart(id, title string, xs []string, ss []series, zoom bool, yName string) map[string]any {
	line := charts.NewLine()
	// The y axis name runs along the axis, left of its labels, where it
	// cannot collide with the legend above the plot; the grid makes room.
	left, top, bottom := "8", "36", "36"
	if yName != "" {
		left = "30"
	}
	if zoom { // the slider takes the bottom: legend on top, left of the toolbox
		top, bottom = "48", "72"
	}
	line.SetGlobalOptions(common(id, title, "axis", zoom, plotGrid(left, top, bottom))...)
	if zoom {
		line.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Left: "0", Right: "120", Type: "scroll"}))
	}
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: yName, NameLocation: "middle", NameGap: 44, Scale: opts.Bool(true)}))
	if zoom {
		line.SetGlobalOptions(charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}, opts.DataZoom{Type: "slider"}))
	}
	line.SetXAxis(xs)
	for _, s := range ss {
		data := make([]opts.LineData, len(s.Data))
		for i, v := range s.Data {
			data[i] = opts.LineData{Value: v}
		}
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(!s.Dashed), ConnectNulls: opts.Bool(false)})}
		if s.Dashed {
			so = append(so, charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 1}))
		}
		line.AddSeries(s.Name, data, so...)
	}
	return optionOf(line)
}

// withBand shades the confidence band of a line chart between lower and
// lower+width: two stacked series, the first invisible, the second filled.
// They take no part in the tooltip, the legend or the mouse, which read
// the named bound lines already drawn; "-" leaves a gap, as in those.
func withBand(option map[string]any, lower, width []any, color string) {
	list, _ := option["series"].([]any)
	band := func(data []any, area any) map[string]any {
		// stackStrategy "all": a positive width stacks on a negative lower
		// bound too (ECharts' default stacks same-sign values only).
		s := map[string]any{"type": "line", "name": "", "data": data, "stack": "confidence-band", "stackStrategy": "all", "symbol": "none",
			"silent": true, "tooltip": map[string]any{"show": false}, "lineStyle": map[string]any{"opacity": 0}, "z": 1}
		if area != nil {
			s["areaStyle"] = area
		}
		return s
	}
	option["series"] = append(list, band(lower, nil), band(width, map[string]any{"color": color, "opacity": 0.15}))
	var names []any
	for _, s := range list {
		if m, ok := s.(map[string]any); ok {
			names = append(names, m["name"])
		}
	}
	if legend, ok := option["legend"].(map[string]any); ok {
		legend["data"] = names
	}
}

// heatmapChart draws cells [x index, y index, value] with names shown in
// the tooltip. hidden are the cells not shown to protect small groups:
// drawn grey with a dash, outside the colour scale, named hiddenName, so
// that a withheld cell never looks like a blank one.
func heatmapChart(id, title string, xs, ys []string, cells, hidden []opts.HeatMapData, hiddenName string, lo, hi float32) map[string]any {
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(common(id, title, "item", false, plotGrid("8", "36", "64"))...)
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: wrapLabels(xs), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}, AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: lo, Max: hi, Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: sequential}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	hm.AddSeries(title, cells, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	option := withLabelLineHeight(optionOf(hm), "xAxis")
	if len(hidden) == 0 {
		return option
	}
	data := make([]any, len(hidden))
	for i, h := range hidden {
		data[i] = map[string]any{"name": h.Name, "value": h.Value}
	}
	list, _ := option["series"].([]any)
	option["series"] = append(list, map[string]any{"type": "heatmap", "name": hiddenName, "data": data,
		"itemStyle": map[string]any{"color": "#e3e7ed", "borderColor": "#ffffff", "borderWidth": 1},
		"label":     map[string]any{"show": true, "formatter": "—", "color": "#4a5568"}})
	if vms, ok := option["visualMap"].([]any); ok { // the colour scale maps the scores only
		for _, vm := range vms {
			if m, ok := vm.(map[string]any); ok {
				m["seriesIndex"] = 0
			}
		}
	}
	return option
}

// withLabelLineHeight gives the axis labels a line height for wrapped,
// multi-line labels (go-echarts' AxisLabel has no such field).
func withLabelLineHeight(option map[string]any, axis string) map[string]any {
	if list, ok := option[axis].([]any); ok {
		for _, a := range list {
			if ax, ok := a.(map[string]any); ok {
				label, _ := ax["axisLabel"].(map[string]any)
				if label == nil {
					label = map[string]any{}
					ax["axisLabel"] = label
				}
				label["lineHeight"] = 14
			}
		}
	}
	return option
}

// wrapLabels breaks long category labels into lines of about 16
// characters at spaces, so that every label shows unrotated and unclipped.
// Only for axes whose labels are not used as drill-down values.
func wrapLabels(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		var b strings.Builder
		line := 0
		for j, w := range strings.Fields(l) {
			if j > 0 {
				if line+1+len([]rune(w)) > 16 {
					b.WriteByte('\n')
					line = 0
				} else {
					b.WriteByte(' ')
					line++
				}
			}
			b.WriteString(w)
			line += len([]rune(w))
		}
		out[i] = b.String()
	}
	return out
}

package reports

import (
	"strconv"
	"time"
)

func communicationWidgets(b *builder, d CommunicationData) []Widget {
	ratings := Widget{ID: "communication-ratings", Title: b.t.T("w.ratings")}
	ratings.Table.Columns = []string{b.t.T("col.section"), b.t.T("col.mean"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var cats []string
	var data []any
	for _, r := range d.Ratings {
		ratings.Table.Rows = append(ratings.Table.Rows, append([]TCell{b.keyed(&ratings.Table, KindPage, r.Category)}, b.cellCols(r.Cell, 2, true)...))
		cats = append(cats, b.name(KindPage, r.Category))
		data = append(data, val(r.Cell, 2))
	}
	ratings.Option = barChart(ratings.ID, ratings.Title, cats, []series{{Name: b.t.T("col.mean"), Data: data}}, true, "", false)
	b.settle(&ratings, "src.feedback", cellsOf(d.Ratings, func(c CategoryCount) Cell { return c.Cell })...)

	reasons := categoryWidget(b, "communication-reasons", "w.reasons", "src.feedback", d.Reasons)

	channels := Widget{ID: "communication-channels", Title: b.t.T("w.channels")}
	channels.Table.Columns = []string{b.t.T("col.tenant"), b.t.T("col.channel"), b.t.T("col.active")}
	for _, c := range d.Channels {
		a := b.t.T("no")
		if c.Active {
			a = b.t.T("yes")
		}
		channels.Table.Rows = append(channels.Table.Rows, []TCell{txt(c.Tenant), txt(c.Channel), txt(a)})
	}
	b.settleRows(&channels, "src.channels")

	pub := Widget{ID: "communication-publishing", Title: b.t.T("w.publishing")}
	pub.Table.Columns = []string{b.t.T("col.week"), b.t.T("col.series"), b.t.T("col.count"), b.t.T("col.n")}
	pub.Option = seriesLines(b, &pub, d.Publishing, 0, 1, "")
	b.settle(&pub, "src.publishing", cellsOf(d.Publishing, func(p SeriesPoint) Cell { return p.Cell })...)
	return []Widget{ratings, reasons, channels, pub}
}

func pipelineWidgets(b *builder, d PipelineData) []Widget {
	streams := Widget{ID: "pipeline-streams", Title: b.t.T("w.streams")}
	streams.Table.Columns = []string{b.t.T("col.stream"), b.t.T("col.topic"), b.t.T("col.rows"), b.t.T("col.accepted"), b.t.T("col.rejected"), b.t.T("col.deadlettered")}
	var names []string
	var rows []any
	for _, s := range d.Streams {
		streams.Table.Rows = append(streams.Table.Rows, []TCell{txt(s.Stream), txt(s.Topic), intCell(int64(s.Rows)), intCell(s.Accepted), intCell(s.Rejected), intCell(s.DeadLettered)})
		names = append(names, s.Stream)
		rows = append(rows, s.Rows)
	}
	streams.Option = barChart(streams.ID, streams.Title, names, []series{{Name: b.t.T("col.rows"), Data: rows}}, true, "", false)
	b.settleRows(&streams, "src.pipeline")

	rates := Widget{ID: "pipeline-rates", Title: b.t.T("w.rates")}
	rates.Table.Columns = []string{b.t.T("col.topic"), b.t.T("col.rate"), b.t.T("col.lasthour")}
	var topics []string
	var rs []any
	for _, r := range d.Rates {
		rates.Table.Rows = append(rates.Table.Rows, []TCell{txt(r.Topic), {Text: fmtNum(r.PerSecond, 1, b.t.lang), Num: round(r.PerSecond, 2), IsNum: true}, intCell(r.LastHour)})
		topics = append(topics, r.Topic)
		rs = append(rs, round(r.PerSecond, 2))
	}
	rates.Option = barChart(rates.ID, rates.Title, topics, []series{{Name: b.t.T("col.rate"), Data: rs}}, true, "", false)
	b.settleRows(&rates, "src.pipeline")

	lag := Widget{ID: "pipeline-lag", Title: b.t.T("w.lag")}
	lag.Table.Columns = []string{b.t.T("col.cgroup"), b.t.T("col.topic"), b.t.T("col.partition"), b.t.T("col.lag")}
	var parts []string
	var ls []any
	for _, l := range d.Lag {
		lag.Table.Rows = append(lag.Table.Rows, []TCell{txt(l.Group), txt(l.Topic), intCell(int64(l.Partition)), intCell(l.Lag)})
		parts = append(parts, l.Topic+"/"+strconv.Itoa(int(l.Partition)))
		ls = append(ls, l.Lag)
	}
	lag.Option = barChart(lag.ID, lag.Title, parts, []series{{Name: b.t.T("col.lag"), Data: ls}}, true, "", false)
	b.settleRows(&lag, "src.pipeline")

	dl := Widget{ID: "pipeline-deadletters", Title: b.t.T("w.deadletters")}
	dl.Table.Columns = []string{b.t.T("col.tenant"), b.t.T("col.source"), b.t.T("col.reason"), b.t.T("col.messages"), b.t.T("col.last")}
	for _, x := range d.DeadLetters {
		dl.Table.Rows = append(dl.Table.Rows, []TCell{txt(x.Tenant), txt(x.Source), txt(x.Reason), intCell(x.Count), b.stampCell(x.Last)})
	}
	b.settleRows(&dl, "src.pipeline")
	return []Widget{streams, rates, lag, dl}
}

// stampCell is an instant in Rome, dd/mm/yyyy HH:MM in Italian (2 Jan
// 2006 15:04 in English); exports write its Stamp their own way.
func (b *builder) stampCell(at time.Time) TCell {
	return TCell{Text: b.t.Date(at.In(rome)) + " " + at.In(rome).Format("15:04"), Stamp: at}
}

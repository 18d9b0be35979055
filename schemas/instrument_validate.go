package schemas

import "fmt"

var instrumentKinds = map[string]bool{KindLikert: true, KindStages: true, KindStatus: true, KindFeedback: true}

// Validate checks an instrument definition and reports every broken rule,
// naming the field (e.g. items[3].dimension) and the rule.
func (in Instrument) Validate() error {
	var v validator
	if !isSlug(in.ID) {
		v.add("id", RuleFormat, "must be a lower-case slug (letters, digits, - and _), got %q", in.ID)
	}
	if in.Version < 1 || in.Version > 65535 {
		v.add("version", RuleRange, "must be an integer from 1 to 65535, got %d", in.Version)
	}
	if !instrumentKinds[in.Kind] {
		v.add("kind", RuleEnum, "must be one of likert, stages, status, feedback, got %q", in.Kind)
	}
	requireLangs(&v, "title", in.Title)
	if in.Scale.Min >= in.Scale.Max {
		v.add("scale", RuleRange, "min (%d) must be below max (%d)", in.Scale.Min, in.Scale.Max)
	}
	points := in.Scale.Max - in.Scale.Min + 1
	for lang, labels := range in.Scale.Labels {
		if len(labels) != points {
			v.add("scale.labels."+lang, RuleRange, "needs %d labels (one per point from %d to %d), has %d", points, in.Scale.Min, in.Scale.Max, len(labels))
		}
	}
	if in.MinAnsweredShare < 0 || in.MinAnsweredShare > 1 {
		v.add("min_answered_share", RuleRange, "must be between 0 and 1 (0 = default %.1f), got %g", DefaultMinAnsweredShare, in.MinAnsweredShare)
	}
	if in.BarrierThreshold != 0 && (in.BarrierThreshold < float64(in.Scale.Min) || in.BarrierThreshold > float64(in.Scale.Max)) {
		v.add("barrier_threshold", RuleRange, "must lie on the scale %d..%d, got %g", in.Scale.Min, in.Scale.Max, in.BarrierThreshold)
	}
	if len(in.Dimensions) == 0 {
		v.add("dimensions", RuleRequired, "an instrument needs at least one dimension")
	}
	dims := map[string]int{}
	for i, d := range in.Dimensions {
		f := fmt.Sprintf("dimensions[%d]", i)
		if !isSlug(d.ID) {
			v.add(f+".id", RuleFormat, "must be a lower-case slug, got %q", d.ID)
		}
		if _, dup := dims[d.ID]; dup {
			v.add(f+".id", RuleFormat, "dimension %q is defined twice", d.ID)
		}
		dims[d.ID] = 0
		requireLangs(&v, f+".title", d.Title)
		if d.Pole != "" && d.Pole != "enabling" && d.Pole != "inhibiting" {
			v.add(f+".pole", RuleEnum, "must be enabling or inhibiting, got %q", d.Pole)
		}
	}
	if len(in.Items) == 0 {
		v.add("items", RuleRequired, "an instrument needs at least one item")
	}
	seen := map[string]bool{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		if !isSlug(it.ID) {
			v.add(f+".id", RuleFormat, "must be a lower-case slug, got %q", it.ID)
		}
		if seen[it.ID] {
			v.add(f+".id", RuleFormat, "item %q is defined twice", it.ID)
		}
		seen[it.ID] = true
		if _, ok := dims[it.Dimension]; !ok {
			v.add(f+".dimension", RuleEnum, "item %q names dimension %q, which is not defined", it.ID, it.Dimension)
		}
		requireLangs(&v, f+".text", it.Text)
		switch it.ItemType() {
		case ItemScale:
			dims[it.Dimension]++
			if len(it.Options) > 0 || it.MaxLength != 0 {
				v.add(f, RuleFormat, "a scale item takes no options or max_length")
			}
		case ItemChoice:
			if it.Reversed {
				v.add(f+".reversed", RuleFormat, "only scale items can be reversed")
			}
			if len(it.Options) < 2 {
				v.add(f+".options", RuleRequired, "a choice item needs at least 2 options")
			}
			opts := map[string]bool{}
			for k, o := range it.Options {
				of := fmt.Sprintf("%s.options[%d]", f, k)
				if !isSlug(o.ID) || opts[o.ID] {
					v.add(of+".id", RuleFormat, "must be a unique lower-case slug, got %q", o.ID)
				}
				opts[o.ID] = true
				requireLangs(&v, of+".label", o.Label)
			}
		case ItemText:
			if it.Reversed {
				v.add(f+".reversed", RuleFormat, "only scale items can be reversed")
			}
			if it.MaxLength < 1 || it.MaxLength > MaxSurveyText {
				v.add(f+".max_length", RuleRange, "a text item needs max_length from 1 to %d, got %d", MaxSurveyText, it.MaxLength)
			}
		default:
			v.add(f+".type", RuleEnum, "must be scale, choice or text, got %q", it.Type)
		}
	}
	if in.Kind == KindLikert || in.Kind == KindStages {
		for _, d := range in.Dimensions {
			if dims[d.ID] == 0 {
				v.add("dimensions", RuleRequired, "dimension %q has no scale items", d.ID)
			}
		}
	}
	if err := v.err(); err != nil {
		return fmt.Errorf("instrument %q version %d: %w", in.ID, in.Version, err)
	}
	return nil
}

func requireLangs(v *validator, field string, m map[string]string) {
	for _, l := range instrumentLanguages {
		if m[l] == "" {
			v.add(field+"."+l, RuleRequired, "the %s text is required", l)
		}
	}
}

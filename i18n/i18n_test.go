package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
)

var bare = regexp.MustCompile(`%([^sdvq]|$)`)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func TestEveryMessageHasBothLanguagesWithTheSameVerbs(t *testing.T) {
	for key, m := range messages {
		if strings.TrimSpace(m.ID) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s: missing a language: %+v", key, m)
		}
		if bare.MatchString(strings.ReplaceAll(m.ID, "%%", "")) || bare.MatchString(strings.ReplaceAll(m.EN, "%%", "")) {
			t.Errorf("%s: a literal percent sign must be written %%%%: %q / %q", key, m.ID, m.EN)
		}
		if a, b := verbs(m.ID), verbs(m.EN); !slices.Equal(a, b) {
			t.Errorf("%s: verbs differ: id %v, en %v", key, a, b)
		}
	}
}

// verbs are the formatting verbs of s, without the literal %%.
func verbs(s string) []string {
	var out []string
	for _, v := range verb.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

func TestT(t *testing.T) {
	if got := T(lapak.Indonesian, "onboard.my_code", "ANDI7"); got != "Kode resellermu: ANDI7" {
		t.Errorf("id: %q", got)
	}
	if got := T(lapak.English, "onboard.my_code", "ANDI7"); got != "Your reseller code: ANDI7" {
		t.Errorf("en: %q", got)
	}
	if got := T("", "lang.set"); !strings.Contains(got, "Indonesia") {
		t.Errorf("default language is not Indonesian: %q", got)
	}
	if got := T(lapak.Indonesian, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
}

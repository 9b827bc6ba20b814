package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

func TestEveryMessageHasBothLanguagesWithTheSameVerbs(t *testing.T) {
	for key, m := range messages {
		if strings.TrimSpace(m.ID) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s: missing a language: %+v", key, m)
		}
		if a, b := verb.FindAllString(m.ID, -1), verb.FindAllString(m.EN, -1); !slices.Equal(a, b) {
			t.Errorf("%s: verbs differ: id %v, en %v", key, a, b)
		}
	}
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

package wacloudtest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of interactive messages
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages,
// …/interactive-list-messages).
const (
	maxButtons     = 3
	maxButtonTitle = 20
	maxButtonID    = 256
	maxButtonBody  = 1024
	maxListBody    = 4096
	maxHeader      = 60
	maxFooter      = 60
	maxListButton  = 20
	maxSections    = 10
	maxRows        = 10
	maxRowTitle    = 24
	maxRowID       = 200
	maxRowDesc     = 72
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func checkInteractive(o *interactiveObj) (*Interactive, *apiError) {
	if o == nil {
		return nil, invalid("The parameter interactive is required.")
	}
	it := &Interactive{Type: o.Type}
	if o.Header != nil {
		if o.Header.Type != "text" || o.Header.Text == "" || runes(o.Header.Text) > maxHeader {
			return nil, invalid(fmt.Sprintf("Param interactive['header'] must be text of 1 to %d characters.", maxHeader))
		}
		it.Header = o.Header.Text
	}
	if o.Footer != nil {
		if o.Footer.Text == "" || runes(o.Footer.Text) > maxFooter {
			return nil, invalid(fmt.Sprintf("Param interactive['footer']['text'] must be 1 to %d characters.", maxFooter))
		}
		it.Footer = o.Footer.Text
	}
	if o.Body == nil || strings.TrimSpace(o.Body.Text) == "" {
		return nil, invalid("The parameter interactive['body']['text'] is required.")
	}
	it.Body = o.Body.Text
	switch o.Type {
	case "button":
		return it, checkButtons(o, it)
	case "list":
		return it, checkList(o, it)
	}
	return nil, invalid(fmt.Sprintf("Param interactive['type'] %q is not supported.", o.Type))
}

func checkButtons(o *interactiveObj, it *Interactive) *apiError {
	if runes(it.Body) > maxButtonBody {
		return invalid(fmt.Sprintf("Param interactive['body']['text'] must be at most %d characters long.", maxButtonBody))
	}
	bs := o.Action.Buttons
	if len(bs) < 1 || len(bs) > maxButtons {
		return invalid(fmt.Sprintf("Param interactive['action']['buttons'] must have 1 to %d buttons.", maxButtons))
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range bs {
		r := b.Reply
		switch {
		case b.Type != "reply":
			return invalid(fmt.Sprintf("Param interactive['action']['buttons'][%d]['type'] must be reply.", i))
		case r.ID == "" || runes(r.ID) > maxButtonID:
			return invalid(fmt.Sprintf("Param interactive['action']['buttons'][%d]['reply']['id'] must be 1 to %d characters.", i, maxButtonID))
		case r.Title == "" || runes(r.Title) > maxButtonTitle:
			return invalid(fmt.Sprintf("Param interactive['action']['buttons'][%d]['reply']['title'] must be 1 to %d characters.", i, maxButtonTitle))
		case ids[r.ID]:
			return invalid("Button IDs must be unique.")
		case titles[r.Title]:
			return invalid("Button titles must be unique.")
		}
		ids[r.ID], titles[r.Title] = true, true
		it.Choices = append(it.Choices, Choice{ID: r.ID, Title: r.Title})
	}
	return nil
}

func checkList(o *interactiveObj, it *Interactive) *apiError {
	if runes(it.Body) > maxListBody {
		return invalid(fmt.Sprintf("Param interactive['body']['text'] must be at most %d characters long.", maxListBody))
	}
	a := o.Action
	if a.Button == "" || runes(a.Button) > maxListButton {
		return invalid(fmt.Sprintf("Param interactive['action']['button'] must be 1 to %d characters.", maxListButton))
	}
	it.Button = a.Button
	if len(a.Sections) < 1 || len(a.Sections) > maxSections {
		return invalid(fmt.Sprintf("Param interactive['action']['sections'] must have 1 to %d sections.", maxSections))
	}
	ids := map[string]bool{}
	for i, sec := range a.Sections {
		if (len(a.Sections) > 1 && sec.Title == "") || runes(sec.Title) > maxRowTitle {
			return invalid(fmt.Sprintf("Param interactive['action']['sections'][%d]['title'] is required with several sections, at most %d characters.", i, maxRowTitle))
		}
		if len(sec.Rows) == 0 {
			return invalid(fmt.Sprintf("Param interactive['action']['sections'][%d]['rows'] is required.", i))
		}
		for j, r := range sec.Rows {
			switch {
			case r.ID == "" || runes(r.ID) > maxRowID:
				return invalid(fmt.Sprintf("Row id of section %d row %d must be 1 to %d characters.", i, j, maxRowID))
			case r.Title == "" || runes(r.Title) > maxRowTitle:
				return invalid(fmt.Sprintf("Row title of section %d row %d must be 1 to %d characters.", i, j, maxRowTitle))
			case runes(r.Description) > maxRowDesc:
				return invalid(fmt.Sprintf("Row description of section %d row %d must be at most %d characters.", i, j, maxRowDesc))
			case ids[r.ID]:
				return invalid("Row IDs must be unique.")
			}
			ids[r.ID] = true
			it.Choices = append(it.Choices, Choice{ID: r.ID, Title: r.Title, Description: r.Description, Section: sec.Title})
		}
	}
	if len(it.Choices) > maxRows {
		return invalid(fmt.Sprintf("Lists may have at most %d rows in all sections.", maxRows))
	}
	return nil
}

func checkTemplate(o *templateObj) (*Template, *apiError) {
	switch {
	case o == nil:
		return nil, invalid("The parameter template is required.")
	case o.Name == "":
		return nil, invalid("The parameter template['name'] is required.")
	case o.Language.Code == "":
		return nil, invalid("The parameter template['language']['code'] is required.")
	case o.Language.Policy != "" && o.Language.Policy != "deterministic":
		return nil, invalid("Param template['language']['policy'] must be deterministic.")
	}
	t := &Template{Name: o.Name, Language: o.Language.Code, Policy: o.Language.Policy}
	for _, c := range o.Components {
		if c.Type != "body" {
			continue
		}
		for _, p := range c.Parameters {
			if p.Type != "text" || p.Text == "" {
				return nil, invalid("Body parameters must be text.")
			}
			if strings.ContainsAny(p.Text, "\n\t") || strings.Contains(p.Text, "     ") {
				return nil, newError(400, codeParamFormat, "")
			}
			t.Params = append(t.Params, p.Text)
		}
	}
	return t, nil
}

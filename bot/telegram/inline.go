package telegram

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/bot"
)

// ToInlineQuery converts an inline query update (https://core.telegram.org/bots/api#inlinequery):
// what a user typed after the bot's name in any chat. It returns false for other updates.
func ToInlineQuery(u tgbotapi.Update) (bot.InlineQuery, bool) {
	q := u.InlineQuery
	if q == nil || q.From == nil || q.ID == "" {
		return bot.InlineQuery{}, false
	}
	user := strconv.FormatInt(q.From.ID, 10)
	return bot.InlineQuery{
		From:   bot.Address{Channel: lapak.Telegram, ChatID: user}, // a private chat's ID is its user's
		UserID: user,
		Query:  q.Query,
		ID:     q.ID,
	}, true
}

// inlineTimeout bounds the search for one inline query's cards: the user is waiting for them as
// they type, and Telegram drops answers that come late.
const inlineTimeout = 5 * time.Second

// inlineCacheTime is how long, in seconds, Telegram may show the same results again for the same
// query from the same user. The results are personal: each reseller sees their own prices.
const inlineCacheTime = 30

// answerInline finds the cards for an inline query and answers it, with no results when they
// cannot be found or rendered in time. Inline queries skip the dispatcher: they change nothing,
// so answering one twice is harmless. Failures are logged, not returned: a retry would come after
// the user stopped looking.
func (a *Adapter) answerInline(ctx context.Context, updateID int, q bot.InlineQuery) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	results, err := a.inlineResults(ctx, q)
	if err != nil {
		a.cfg.Logger.Warn("inline query answered with no results", "update_id", updateID, "err", err)
		results = nil
	}
	if err := a.answerInlineQuery(ctx, q.ID, results); err != nil {
		a.cfg.Logger.Warn("answer inline query", "update_id", updateID, "err", err)
	}
}

// inlineResults asks the configured answerer for the cards, within inlineTimeout, and renders
// them. Without an answerer there are none.
func (a *Adapter) inlineResults(ctx context.Context, q bot.InlineQuery) ([]inlineResult, error) {
	if a.cfg.Inline == nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, inlineTimeout)
	defer cancel()
	cards, err := a.cfg.Inline.InlineResults(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find cards for inline query %s: %w", q.ID, err)
	}
	return renderCards(cards)
}

// AnswerInline answers an inline query with up to 50 cards: a card with a photo Telegram has, or
// one at an https URL, becomes a photo with the text as its caption; any other card, or one whose
// text is too long for a caption, an article whose message is the text. Link buttons go under
// either. The answer is personal and cached for 30s. When a card cannot be rendered nothing is
// sent.
func (a *Adapter) AnswerInline(ctx context.Context, queryID string, cards []bot.Card) error {
	results, err := renderCards(cards)
	if err != nil {
		return fmt.Errorf("answer inline query %s: %w", queryID, err)
	}
	return a.answerInlineQuery(ctx, queryID, results)
}

// answerInlineQuery sends the answer through a raw request: v5.5.1's result types predate the
// thumbnail_url of the current Bot API (https://core.telegram.org/bots/api#answerinlinequery).
func (a *Adapter) answerInlineQuery(ctx context.Context, queryID string, results []inlineResult) error {
	if results == nil {
		results = []inlineResult{} // Telegram wants an array, even an empty one
	}
	params := tgbotapi.Params{"inline_query_id": queryID, "cache_time": strconv.Itoa(inlineCacheTime), "is_personal": "true"}
	if err := params.AddInterface("results", results); err != nil {
		return fmt.Errorf("encode inline results: %w", err)
	}
	api, err := a.client(ctx)
	if err != nil {
		return err
	}
	_, err = api.MakeRequest("answerInlineQuery", params)
	err = a.apiError("answer inline query "+queryID, err)
	if retryAfter(err) > 0 {
		a.cfg.Metrics.Limited(string(lapak.Telegram))
	}
	return err
}

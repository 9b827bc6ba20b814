package main

import (
	"encoding/json"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// firstChat is the chat ID of user 0; user i writes from chat firstChat+i. In a private chat the
// chat ID is the user's ID.
const firstChat = 700_000_000

// measured are the commands of the measured updates: each chat sends them in turn.
var measured = []string{"/menu", "/help"}

// item is one update to post.
type item struct {
	user    int
	text    string
	replies int // messages Lapak answers it with, as the probe found
	body    []byte
}

func chatOf(user int) int64 { return firstChat + int64(user) }

// workload makes the updates: the users take turns, so that each chat's updates are as far apart
// as the number of users allows, and each chat alternates the measured commands.
type workload struct {
	users    int
	replies  map[string]int // Lapak's replies per command, as the probe found them
	updateID int
	cursor   int // the next measured update: user cursor%users, its round cursor/users
}

func newWorkload(users int) *workload {
	return &workload{users: users, updateID: 500_000}
}

// measuredItems returns the next n measured updates.
func (w *workload) measuredItems(n int) []item {
	items := make([]item, n)
	for i := range items {
		user, round := w.cursor%w.users, w.cursor/w.users
		items[i] = w.item(user, measured[round%len(measured)])
		w.cursor++
	}
	return items
}

// startItems returns a /start from every user.
func (w *workload) startItems() []item {
	items := make([]item, w.users)
	for user := range items {
		items[user] = w.item(user, "/start")
	}
	return items
}

func (w *workload) item(user int, text string) item {
	w.updateID++
	return item{user: user, text: text, replies: w.replies[text], body: updateJSON(w.updateID, user, text)}
}

// updateJSON renders a private-chat text message with a command, as Telegram posts it.
func updateJSON(updateID, user int, text string) []byte {
	id := chatOf(user)
	name := "Pembeli " + strconv.Itoa(user)
	u := tgbotapi.Update{UpdateID: updateID, Message: &tgbotapi.Message{
		MessageID: updateID,
		From:      &tgbotapi.User{ID: id, FirstName: "Pembeli", LastName: strconv.Itoa(user), UserName: "pembeli_" + strconv.Itoa(user), LanguageCode: "id"},
		Chat:      &tgbotapi.Chat{ID: id, Type: "private", FirstName: name, UserName: "pembeli_" + strconv.Itoa(user)},
		Date:      int(time.Now().Unix()),
		Text:      text,
		Entities:  []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(text)}},
	}}
	body, err := json.Marshal(u)
	if err != nil {
		panic(err) // plain structs always encode
	}
	return body
}

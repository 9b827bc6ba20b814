package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lapak-id/lapak/storage/storagetest"
)

func TestProductsImportThenExport(t *testing.T) {
	_, dsn := storagetest.Schema(t)
	env := map[string]string{"DATABASE_URL": dsn, "LOG_LEVEL": "warn"}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "produk.csv")
	csv := "sku,name,base_price,retail_price,commission,supplier,variant_name,variant_stock\n" +
		"KAOS-1,Kaos Polos Hitam,50rb,75.000,10%,Kaos Nusantara,M,5\n" +
		"KAOS-1,Kaos Polos Hitam,50rb,75.000,10%,Kaos Nusantara,L,\n" +
		"SAMBAL-1,Sambal Bawang,Rp 25.000,35rb,,Dapur Mbok Darmi,,\n" +
		"KOPI-1,Kopi Gayo,150rbu,,,Kopi Lereng Gayo,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	err := run(ctx, []string{"products", "import", file}, getenv, &out)
	if err == nil || !strings.Contains(err.Error(), "1 products refused") {
		t.Errorf("a refused row should fail the command: %v", err)
	}
	for _, want := range []string{
		"Impor selesai: 2 produk baru, 0 diperbarui, 0 tidak berubah, 1 ditolak.",
		"Baris 5, kolom base_price: Harga itu tidak bisa kami baca.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("import printed:\n%s\nwant %q", out.String(), want)
		}
	}

	out.Reset()
	if err := run(ctx, []string{"products", "export"}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(out.String(), "\uFEFF"), "\r\n")
	want := []string{
		"sku,name,description,category,supplier,base_price,retail_price,max_price,commission,stock,weight_grams,image_url,active,variant_sku,variant_name,variant_stock",
		"KAOS-1,Kaos Polos Hitam,,,Kaos Nusantara,50000,75000,,10%,,0,,ya,KAOS-1-M,M,5",
		"KAOS-1,Kaos Polos Hitam,,,Kaos Nusantara,50000,75000,,10%,,0,,ya,KAOS-1-L,L,",
		"SAMBAL-1,Sambal Bawang,,,Dapur Mbok Darmi,25000,35000,,0,,0,,ya,,,",
		"",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("export:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	out.Reset()
	exported := filepath.Join(dir, "ekspor.csv")
	if err := run(ctx, []string{"products", "export", exported}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 produk diekspor ke "+exported) {
		t.Errorf("export printed %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"products", "import", exported}, getenv, &out); err != nil {
		t.Fatalf("importing the export: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "0 produk baru, 0 diperbarui, 2 tidak berubah, 0 ditolak") {
		t.Errorf("importing the export printed %q", out.String())
	}

	if err := run(ctx, []string{"products", "delete"}, getenv, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("an unknown subcommand: %v", err)
	}
}

package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lapak-id/lapak"
	"github.com/lapak-id/lapak/catalog"
	"github.com/lapak-id/lapak/storage"
	"github.com/lapak-id/lapak/storage/storagetest"
)

var ctx = context.Background()

func newStore(t *testing.T) *storage.Store {
	t.Helper()
	return storage.New(storagetest.Pool(t), nil, nil)
}

func sample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/products.csv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func importBytes(t *testing.T, store catalog.Store, data []byte) catalog.Report {
	t.Helper()
	rep, err := catalog.Import(ctx, store, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func export(t *testing.T, store catalog.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := catalog.Export(ctx, store, &b); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes()
}

// problem is a reported row in short.
type problem struct {
	row         int
	column, key string
}

func problems(rep catalog.Report) []problem {
	var out []problem
	for _, p := range rep.Problems {
		out = append(out, problem{p.Row, p.Column, p.Err.Key})
	}
	return out
}

// sampleProblems are the deliberately bad rows of testdata/products.csv.
var sampleProblems = []problem{
	{46, "base_price", "price.negative"},              // BAD-NEG-01: -50.000
	{103, "", "product.retail_below_base"},            // BAD-RTL-01: retail 200.000 below base 250.000
	{152, "base_price", "price.invalid"},              // BAD-UNIT-01: 150rbu
	{194, "name", "import.required"},                  // BAD-NAME-01: no name
	{224, "commission", "commission.invalid"},         // BAD-KOM-01: 150%
	{247, "variant_name", "import.variant_duplicate"}, // BAD-VAR-01: Hitam again
	{272, "stock", "import.stock_invalid"},            // BAD-STK-01: "sepuluh"
}

func TestImportSample(t *testing.T) {
	store := newStore(t)
	rep := importBytes(t, store, sample(t))

	if got := problems(rep); !slices.Equal(got, sampleProblems) {
		t.Errorf("problems:\n got %v\nwant %v", got, sampleProblems)
	}
	if rep.Created != 205 || rep.Updated != 0 || rep.Unchanged != 0 || rep.Refused != 7 || len(rep.Ignored) != 0 {
		t.Errorf("report %+v", rep)
	}
	if got := rep.Problems[6].Text(lapak.Indonesian); !strings.HasPrefix(got, "Baris 272, kolom stock: Stok harus angka bulat") {
		t.Errorf("Indonesian: %q", got)
	}
	if got := rep.Problems[1].Text(lapak.English); got != "Row 103: The suggested price can't be below the base price of Rp250.000." {
		t.Errorf("English: %q", got)
	}

	t.Run("GoodRowsLand", func(t *testing.T) {
		kaos, err := store.ProductBySKU(ctx, "kns-kaos-01")
		if err != nil {
			t.Fatal(err)
		}
		if kaos.Name != "Kaos Polos Cotton Combed 30s Hitam" || kaos.Supplier != "Kaos Nusantara" || kaos.BasePrice != 55_000 ||
			kaos.RetailPrice != 80_000 || kaos.MaxPrice != 110_000 || kaos.Commission != (lapak.CommissionRule{Percent: 250}) ||
			kaos.Stock != nil || kaos.WeightGrams != 200 || !kaos.Active {
			t.Errorf("KNS-KAOS-01 is %+v", kaos)
		}
		var variants []string
		for _, v := range kaos.Variants {
			variants = append(variants, v.SKU)
		}
		if !slices.Equal(variants, []string{"KNS-KAOS-01-S", "KNS-KAOS-01-M", "KNS-KAOS-01-L", "KNS-KAOS-01-XL"}) || kaos.Variants[2].Stock != nil {
			t.Errorf("variants %v", kaos.Variants)
		}
		keripik, err := store.ProductBySKU(ctx, "KPK-001")
		if err != nil || len(keripik.Variants) != 3 || keripik.Variants[2].SKU != "KPK-001-LEVEL-5" {
			t.Errorf("variants without a SKU get one: %+v, %v", keripik.Variants, err)
		}
		sambal, err := store.ProductBySKU(ctx, "DMD-SBL-01A")
		if err != nil || sambal.Category != "Sambal" || sambal.WeightGrams != 150 {
			t.Errorf("sambal %+v, %v", sambal, err)
		}
		for _, sku := range []string{"BAD-NEG-01", "BAD-VAR-01", "BAD-RTL-01"} {
			if _, err := store.ProductBySKU(ctx, sku); !errors.Is(err, lapak.ErrNotFound) {
				t.Errorf("refused %s was stored: %v", sku, err)
			}
		}
		_, total, err := store.Products(ctx, lapak.ProductQuery{IncludeInactive: true})
		if err != nil || total != 205 {
			t.Errorf("%d products stored, %v", total, err)
		}
	})

	t.Run("ImportingAgainChangesNothing", func(t *testing.T) {
		again := importBytes(t, store, sample(t))
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 205 || again.Refused != 7 {
			t.Errorf("report %+v", again)
		}
	})
}

func TestExportRoundTrips(t *testing.T) {
	first := newStore(t)
	importBytes(t, first, sample(t))
	exported := export(t, first)
	if !bytes.HasPrefix(exported, []byte("\uFEFFsku,name,description,category,supplier,base_price,retail_price,max_price,commission,stock,weight_grams,image_url,active,variant_sku,variant_name,variant_stock\r\n")) {
		t.Errorf("export starts %q", exported[:200])
	}
	if n := bytes.Count(exported, []byte("\r\n")); n != bytes.Count(exported, []byte("\n")) {
		t.Errorf("line ends: %d CRLF of %d", n, bytes.Count(exported, []byte("\n")))
	}
	if !bytes.Contains(exported, []byte("\r\nKNS-KAOS-01,Kaos Polos Cotton Combed 30s Hitam,")) ||
		!bytes.Contains(exported, []byte(",Kaos,Kaos Nusantara,55000,80000,110000,\"2,5%\",,200,https://img.example.com/kaos-nusantara/kns-kaos-01.jpg,ya,KNS-KAOS-01-S,S,")) {
		t.Errorf("KNS-KAOS-01 is not exported as expected")
	}

	second := newStore(t)
	rep := importBytes(t, second, exported)
	if rep.Created != 205 || rep.Refused != 0 || len(rep.Problems) != 0 {
		t.Errorf("importing the export: %+v", rep)
	}
	if again := export(t, second); !bytes.Equal(again, exported) {
		t.Errorf("export → import → export differs:\n%s", firstDifference(exported, again))
	}
	if rep := importBytes(t, first, exported); rep.Unchanged != 205 || rep.Created+rep.Updated+rep.Refused != 0 {
		t.Errorf("importing an export over its own store: %+v", rep)
	}
}

// firstDifference shows the first line where a and b differ.
func firstDifference(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n%q\n%q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines and %d lines", len(la), len(lb))
}

func TestImportExcelSemicolonsBOMAndCRLF(t *testing.T) {
	records, err := csv.NewReader(bytes.NewReader(sample(t))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = ';', true
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("\r\nKNS-KAOS-01;")) {
		t.Fatal("the file is not what Excel writes")
	}

	excel, plain := newStore(t), newStore(t)
	rep := importBytes(t, excel, b.Bytes())
	if got := problems(rep); !slices.Equal(got, sampleProblems) || rep.Created != 205 {
		t.Errorf("report %+v", rep)
	}
	importBytes(t, plain, sample(t))
	if a, b := export(t, excel), export(t, plain); !bytes.Equal(a, b) {
		t.Errorf("imports differ:\n%s", firstDifference(a, b))
	}
}

func TestImportRefusesAFileWithoutARequiredColumn(t *testing.T) {
	for _, missing := range []string{"sku", "name", "base_price"} {
		t.Run(missing, func(t *testing.T) {
			cols := slices.DeleteFunc([]string{"sku", "name", "base_price", "stock"}, func(c string) bool { return c == missing })
			file := strings.Join(cols, ",") + "\nKAOS-1,Kaos,50000\n"
			_, err := catalog.Import(ctx, nil, strings.NewReader(file))
			var e *lapak.Error
			if !errors.As(err, &e) || e.Key != "import.missing_column" || len(e.Args) != 1 || e.Args[0] != missing {
				t.Errorf("got %v", err)
			}
		})
	}
	for name, file := range map[string]string{
		"Empty":           "",
		"OnlyBlankLines":  "\n\n;;;\n",
		"DuplicateColumn": "sku,name,base_price,SKU\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := catalog.Import(ctx, nil, strings.NewReader(file)); lapak.KindOf(err) != lapak.KindInvalid {
				t.Errorf("got %v", err)
			}
		})
	}
}

func TestImportReadsWhatOwnersWrite(t *testing.T) {
	store := newStore(t)
	file := "Base Price;NAME;Catatan;sku;Commission;Stock;active;supplier\r\n" +
		"Rp 1,5jt;Jam Tangan Kayu;titipan;JAM-1;5rb;Unlimited;TIDAK;Toko Budi\r\n" +
		"25.000;\"Kaos; Polos\";;kaos-2;10 %;1.000;1;toko budi\r\n"
	rep := importBytes(t, store, []byte(file))
	if rep.Created != 2 || len(rep.Problems) != 0 || !slices.Equal(rep.Ignored, []string{"Catatan"}) {
		t.Fatalf("report %+v", rep)
	}
	jam, _ := store.ProductBySKU(ctx, "JAM-1")
	if jam.BasePrice != 1_500_000 || jam.RetailPrice != 1_500_000 || jam.Commission.Fixed != 5000 || jam.Stock != nil || jam.Active || jam.Supplier != "Toko Budi" {
		t.Errorf("JAM-1 is %+v", jam)
	}
	kaos, _ := store.ProductBySKU(ctx, "KAOS-2")
	if kaos.Name != "Kaos; Polos" || kaos.Commission.Percent != 1000 || *kaos.Stock != 1000 || kaos.SupplierID != jam.SupplierID {
		t.Errorf("KAOS-2 is %+v", kaos)
	}

	t.Run("ColumnsTheFileLacksAreKept", func(t *testing.T) {
		rep := importBytes(t, store, []byte("sku,name,base_price\nJAM-1,Jam Tangan Kayu Jati,1.400.000\n"))
		jam, _ := store.ProductBySKU(ctx, "JAM-1")
		if rep.Updated != 1 || jam.Name != "Jam Tangan Kayu Jati" || jam.BasePrice != 1_400_000 || jam.RetailPrice != 1_500_000 ||
			jam.Commission.Fixed != 5000 || jam.Active || jam.Supplier != "Toko Budi" {
			t.Errorf("report %+v, JAM-1 is %+v", rep, jam)
		}
	})

	t.Run("WindowsEncoding", func(t *testing.T) {
		file := []byte("sku,name,base_price,description\nCAFE-1,Kopi Caf\xe9,30000,\x93Enak\x94 \x96 kata pelanggan\n")
		if rep := importBytes(t, store, file); rep.Created != 1 {
			t.Fatalf("report %+v", rep)
		}
		p, _ := store.ProductBySKU(ctx, "CAFE-1")
		if p.Name != "Kopi Café" || p.Description != "“Enak” – kata pelanggan" {
			t.Errorf("read %q, %q", p.Name, p.Description)
		}
	})
}

func TestImportReportsRowsAsSpreadsheetsNumberThem(t *testing.T) {
	store := newStore(t)
	file := "sku,name,base_price,description,variant_name,variant_stock\n" +
		"A-1,Kaos,50000,\"dua\nbaris\",,\n" + // row 2, over two lines
		"\n" + // row 3, blank
		"A-2,,50000,,,\n" + // row 4: no name
		"A-3,Kemeja,90000,,M,5\n" + // row 5
		"A-3,Kemeja,95000,,L,5\n" + // row 6: another base price
		"A-4,Topi,20000,,,lima\n" + // row 7: a stock without a variant name, and not a number
		"A-5,Sandal,20000,,,,x\n" + // row 8: a cell past the header
		"A-1,Kaos,50000,lain,S,1\n" + // row 9: A-1 again, as a variant, with another description
		"A-6,Tas,30000,,,\n" + // row 10
		"a-6,Tas,30000,,,\n" // row 11: the same product twice
	rep := importBytes(t, store, []byte(file))
	want := []problem{
		{2, "variant_name", "import.sku_repeated"},
		{4, "name", "import.required"},
		{6, "base_price", "import.row_differs"},
		{7, "variant_name", "import.variant_name_empty"},
		{7, "variant_stock", "import.stock_invalid"},
		{8, "", "import.extra_cells"},
		{9, "description", "import.row_differs"},
		{11, "variant_name", "import.sku_repeated"},
	}
	if got := problems(rep); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %v\nwant %v", got, want)
	}
	if rep.Created != 0 || rep.Refused != 6 {
		t.Errorf("report %+v", rep)
	}
}

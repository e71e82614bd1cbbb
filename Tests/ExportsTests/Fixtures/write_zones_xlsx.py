"""Writes a zone file as a spreadsheet program would (openpyxl: shared strings, numbers as
numbers, a second sheet that must be ignored), for XLSXReaderTests."""
import sys

from openpyxl import Workbook

book = Workbook()
sheet = book.active
sheet.title = "Zones"
sheet.append(["sector_id", "city_name", "city_code", "street_name", "street_code"])
sheet.append(["arras", "Arras", 62041, None, None])
sheet.append(["arras", "Arras", "62041", "Rue de la Paix", "0420"])
sheet.append([])
sheet.append(["lens", "Lens", 62498, "Rue d'Arras & Co", "62498_0100"])
other = book.create_sheet("Notes")
other.append(["ignorée"])
book.save(sys.argv[1])

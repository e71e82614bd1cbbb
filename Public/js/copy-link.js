// « Copier le lien » (« Synchronisation calendrier », booking.md §10; « Réservation en ligne », admin.md §2). An enhancement only:
// without JavaScript the button stays hidden and the read-only field can be selected.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.querySelector("[data-copy-status]");
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "Lien copié.";
    } catch {
      field.select();
      if (status) status.textContent = "Copiez le lien sélectionné (Ctrl+C).";
    }
  });
}

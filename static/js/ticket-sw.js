/* Service worker of the ticket pages (after sw-network-first.js): a cancelled ticket shows as
   such at once; without a network, the copy ticket.js stored when the page was last opened. */
networkFirstWorker({cache: "forum-tickets-v1"});

// Reads ?room=NAME&lang=ko|en (and ?user=NAME, a demo sign-in) and points the waiting room and
// the form at that room.
// A separate file, not an inline script, so the page runs under a CSP without 'unsafe-inline'.
// Both scripts are deferred and this one is listed first: deferred scripts run in order once the
// page is parsed, so the attributes are set before the bundle defines <queue-gate>, and the
// element joins the requested room only (never the markup's default room first).
(() => {
  const ROOM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
  const TEXT = {
    en: {
      title: 'Book a slot',
      intro:
        'This page is built the way a site owner would build theirs: the script tag, a <queue-gate> element and a plain form inside it. The form appears when it is your turn and posts your admission with it.',
      name: 'Name',
      date: 'Date',
      submit: 'Book',
    },
    ko: {
      title: '예약하기',
      intro:
        '이 페이지는 사이트 운영자가 만드는 방식 그대로입니다: 스크립트 태그, <queue-gate> 요소, 그 안의 일반 폼. 차례가 되면 폼이 나타나고 입장권과 함께 전송됩니다.',
      name: '이름',
      date: '날짜',
      submit: '예약',
    },
  };

  const params = new URLSearchParams(location.search);
  const requested = params.get('room') ?? 'demo';
  const room = ROOM_PATTERN.test(requested) ? requested : 'demo';
  const lang = params.get('lang') === 'ko' ? 'ko' : 'en';

  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = TEXT[lang][node.getAttribute('data-text')];
    if (text) node.textContent = text;
  }
  document.title = `${TEXT[lang].title} — queue-gate`;

  const gate = document.getElementById('gate');
  gate.setAttribute('lang', lang);
  gate.setAttribute('room', room);
  gate.setAttribute('endpoint', location.origin);
  // The live server's DEMO sign-in: ?user=alice has the element fetch alice's assertion from the
  // server's demo identity issuer, as a site's own endpoint would answer for its signed-in user.
  const user = params.get('user');
  if (user && /^[a-z][a-z0-9-]{0,31}$/.test(user)) {
    gate.setAttribute('identity-url', `/demo/identity?user=${user}`);
  }
  document.getElementById('booking-form').action = `/demo/book?room=${encodeURIComponent(room)}`;
})();

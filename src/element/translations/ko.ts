/** Korean strings for `<queue-gate>`. */
import type { Translation } from '../localize.js';

const REJECTIONS: Record<string, string> = {
  token_expired: '대기 순번의 유효 시간이 지났습니다.',
  hold_expired: '차례가 지나 입장하실 수 있는 시간이 끝났습니다.',
  place_released:
    '다른 기기나 창에서 로그인해 받으신 순번이 있어 이 순번은 해제되었습니다. 다시 줄을 서시면 그 순번으로 이어집니다.',
};

/** The built-in Korean translation. */
export const ko: Translation = {
  $code: 'ko',
  $dir: 'ltr',
  regionLabel: '대기실',
  joining: '대기 순번을 받고 있습니다…',
  waitingTitle: '대기 중입니다',
  placeLabel: '대기 번호',
  aheadLabel: '앞 대기 인원',
  ahead: (count, n) => (count === 0 ? '없음' : `${n}명`),
  etaLabel: '예상 대기 시간',
  etaUnknown: '아직 예상 시간을 알 수 없습니다',
  etaSoon: '1분 이내',
  etaMinutes: (min, max) => (min === max ? `약 ${max}분` : `약 ${min}~${max}분`),
  etaHours: (min, max) => (min === max ? `약 ${max}시간` : `약 ${min}~${max}시간`),
  etaUnder: (max) => `${max}분 이내`,
  etaLong: (min, max, at) => `약 ${min}~${max}시간 (${at}쯤)`,
  etaStale: (estimate) =>
    `마지막으로 확인한 예상 시간은 ${estimate}입니다. 다시 연결되면 새로 알려 드리겠습니다.`,
  progressLabel: '대기열 진행률',
  updatedAgo: (seconds, n) => (seconds < 2 ? '방금 갱신됨' : `${n}초 전 갱신됨`),
  updatedNever: '아직 갱신되지 않음',
  reloadSafe: '페이지를 새로고침해도 순번은 유지됩니다.',
  reloadUnsafe:
    '브라우저 설정 때문에 이 페이지는 순번을 저장할 수 없습니다. 새로고침하거나 페이지를 닫으면 순번이 사라집니다.',
  openOwnTab: '새 탭에서 대기실 열기 (새 순번을 받게 되며, 새로고침해도 순번이 유지됩니다)',
  reconnectingTitle: '연결이 끊겼습니다',
  reconnecting: '지금은 대기실에 연결할 수 없습니다.',
  reconnectingInline: '다시 연결하고 있습니다…',
  busyTitle: '대기실에 접속이 몰리고 있습니다',
  roomMissingTitle: '이 대기실은 열려 있지 않습니다',
  roomMissing:
    '대기열 서버에 이 대기실이 없습니다. 잠시 후 다시 시도하거나 사이트에 문의해 주세요.',
  originRefusedTitle: '이 페이지는 이 대기실과 연결되어 있지 않습니다',
  originRefused: '잠시 후 다시 시도하거나 사이트에 문의해 주세요.',
  busy: '지금 한꺼번에 많은 분이 접속하고 있습니다.',
  notInLineYet: '아직 대기열에 들어가지 못했습니다. 순번을 받을 때까지 계속 시도하겠습니다.',
  placeKept: '고객님의 순번은 그대로 유지됩니다.',
  turnClockRunning: (until) =>
    until
      ? `고객님 차례가 되었습니다. 입장 가능 시간이 줄어들고 있으며 ${until}쯤 끝납니다.`
      : '고객님 차례가 되었습니다. 입장 가능 시간이 줄어들고 있습니다.',
  retryingIn: (seconds, n) =>
    seconds < 1 ? '다시 연결하고 있습니다…' : `${n}초 후 다시 시도합니다.`,
  retryNow: '지금 다시 시도',
  retryNowIn: (n) => `${n}초 후 다시 시도`,
  preOpenTitle: '곧 대기실이 열립니다',
  preOpen: (at) =>
    `${at}에 열립니다. 그 전에 오신 분은 모두 공정한 무작위 추첨으로 순번을 받으시니 서두르지 않으셔도 됩니다.`,
  opensIn: (clock) => `열리기까지 ${clock}`,
  cohortTitle: '아직 고객님 그룹의 차례가 아닙니다',
  cohortNotOpen: (at) =>
    `고객님 그룹은 ${at}부터 입장하실 수 있습니다. 그때 다시 오시거나 이 페이지를 열어 두세요.`,
  cohortClosed: '고객님 그룹의 예약 기간이 끝났습니다.',
  pausedTitle: '대기열이 일시 중지되었습니다',
  paused: '지금은 입장이 멈춰 있습니다. 이 페이지를 열어 두세요.',
  closedTitle: '대기실이 닫혔습니다',
  closed: '지금은 입장할 수 없습니다. 사이트 공지를 확인해 주세요.',
  admittingTitle: '고객님 차례입니다',
  admitting: '고객님 차례입니다. 연결하고 있습니다…',
  admittedTitle: '고객님 차례입니다',
  admitted: (until) => (until ? `${until} 전에 예약을 마쳐 주세요.` : '지금 예약을 마쳐 주세요.'),
  admissionExpiredTitle: '예약 가능 시간이 지났습니다',
  admissionExpired:
    '정해진 시간 안에 예약이 완료되지 않았습니다. 입장을 다시 요청하실 수 있습니다.',
  reclaim: '입장 다시 요청하기',
  rejectedTitle: '순번을 유지하지 못했습니다',
  rejected: (code) =>
    REJECTIONS[code] ??
    '대기실에서 이 대기 순번을 확인하지 못했습니다. 다시 줄을 서실 수 있습니다.',
  rejoin: '다시 줄 서기',
  bookedTitle: '예약이 완료되었습니다',
  booked: '대기 순번으로 예약을 마치셨습니다. 이 페이지를 닫으셔도 됩니다.',
  alreadyUsedTitle: '이 순번은 이미 예약에 사용되었습니다',
  alreadyUsed: '순번 하나로는 한 번만 예약하실 수 있습니다. 다시 예약하시려면 줄을 다시 서 주세요.',
  signInTitle: '대기하시려면 로그인해 주세요',
  signInNeeded: '이 대기실은 한 분께 한 자리만 드립니다. 로그인하신 뒤 줄을 서 주세요.',
  signInAgain: '로그인을 확인하지 못했습니다. 다시 로그인해 주세요.',
  signInLink: '로그인',
  titleTurn: '차례가 되었습니다!',
  notifyButton: '차례가 되면 알림 받기',
  notifyBody: '차례가 되었습니다. 페이지로 돌아가 예약을 계속해 주세요.',
  holdNotice: (duration) => `차례가 되면 ${duration} 동안 예약하실 수 있습니다.`,
  timeLeftLabel: '남은 예약 시간',
  turnEndingSoon: '남은 시간이 1분도 되지 않습니다. 지금 예약을 마쳐 주세요.',
  openingNow: '지금 열리고 있습니다… 순번을 추첨하는 중입니다',
  drawPlaced: (count, n) =>
    `오픈 추첨으로 순번이 정해졌습니다. 순번을 받으셨을 때 고객님 앞에는 ${count === 0 ? '아무도 없었습니다' : `${n}명이 있었습니다`}.`,
  placeFromDrawLabel: '추첨으로 받은 번호',
};

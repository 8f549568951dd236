<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../manager/audit_tab.py" line="56"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="59"/>
        <source>All staff</source>
        <translation>全部员工</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="67"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="69"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="72"/>
        <source>Verify the log</source>
        <translation>校验日志</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="75"/>
        <location filename="../manager/audit_tab.py" line="93"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="76"/>
        <location filename="../manager/audit_tab.py" line="91"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="77"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="78"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="90"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="92"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="94"/>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="95"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="96"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="98"/>
        <source>Terminal</source>
        <translation>终端</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="114"/>
        <source>reading the audit filters</source>
        <translation>读取审计筛选项</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="138"/>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="143"/>
        <source>Reading the audit log…</source>
        <translation>正在读取审计日志…</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="147"/>
        <source>reading the audit log</source>
        <translation>读取审计日志</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="152"/>
        <source>{0} entries (newest first).</source>
        <translation>共 {0} 条（最新的在前）。</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="153"/>
        <source>No entry matches these filters.</source>
        <translation>没有符合筛选条件的记录。</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="158"/>
        <source>Checking every entry of the log…</source>
        <translation>正在逐条校验日志…</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="164"/>
        <source>verifying the log</source>
        <translation>校验日志</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="170"/>
        <source>Chain intact: no entry was changed, inserted or deleted.</source>
        <translation>哈希链完整：没有记录被修改、插入或删除。</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="174"/>
        <source>The log was tampered with. Problems found: {0}</source>
        <translation>日志已被篡改。发现问题：{0} 处</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="177"/>
        <source>… and {0} more</source>
        <translation>…… 另有 {0} 处</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="182"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="183"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="192"/>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../manager/audit_tab.py" line="195"/>
        <source>{0} entries written to {1}</source>
        <translation>已将 {0} 条记录写入 {1}</translation>
    </message>
</context>
<context>
    <name>CameraPane</name>
    <message>
        <location filename="../counter/camera_pane.py" line="77"/>
        <location filename="../counter/camera_pane.py" line="101"/>
        <location filename="../counter/camera_pane.py" line="107"/>
        <source>Camera off</source>
        <translation>摄像头已关闭</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="84"/>
        <location filename="../counter/camera_pane.py" line="103"/>
        <location filename="../counter/camera_pane.py" line="134"/>
        <source>Camera on</source>
        <translation>打开摄像头</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="106"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="123"/>
        <source>Camera working</source>
        <translation>摄像头工作正常</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="124"/>
        <source>Camera lost: trying again. Type or use the hand scanner.</source>
        <translation>摄像头断开：正在重试。请手动输入或使用扫码枪。</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="125"/>
        <source>Video finished</source>
        <translation>视频已结束</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="126"/>
        <source>Camera cannot be opened</source>
        <translation>无法打开摄像头</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="127"/>
        <source>Camera: codes cannot be read. Type or use the hand scanner. The details are in the log: {0}</source>
        <translation>摄像头：无法识别条码。请手动输入或使用扫码枪。详细信息在日志中：{0}</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="138"/>
        <source>Read: {0}</source>
        <translation>已读取：{0}</translation>
    </message>
    <message>
        <location filename="../counter/camera_pane.py" line="139"/>
        <source>Not one of our codes</source>
        <translation>不是本店的码</translation>
    </message>
</context>
<context>
    <name>CampaignsTab</name>
    <message>
        <location filename="../manager/campaigns_tab.py" line="69"/>
        <source>e.g. March win-back</source>
        <translation>例如：三月召回老会员</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="77"/>
        <source>The text for the SMS or e-mail, e.g. We miss you: 10 yuan off your next visit</source>
        <translation>短信或邮件内容，例如：好久不见，下次到店立减 10 元</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="83"/>
        <source>Create campaign and issue coupons</source>
        <translation>创建活动并发放优惠券</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="91"/>
        <location filename="../manager/campaigns_tab.py" line="112"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="92"/>
        <location filename="../manager/campaigns_tab.py" line="113"/>
        <source>Segment</source>
        <translation>分群</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="93"/>
        <location filename="../manager/campaigns_tab.py" line="114"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="94"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="95"/>
        <location filename="../manager/campaigns_tab.py" line="117"/>
        <location filename="../manager/campaigns_tab.py" line="294"/>
        <source>Hold-out</source>
        <translation>对照组</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="97"/>
        <source>The hold-out group gets nothing: comparing it with the members who got the coupon shows what the campaign really changed.</source>
        <translation>对照组不发券：与收到优惠券的会员对比，才能看出活动真正带来的变化。</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="101"/>
        <source>New campaign</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="115"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="116"/>
        <source>Coupons issued</source>
        <translation>已发券数</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="121"/>
        <source>Export contacts…</source>
        <translation>导出联系人…</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="132"/>
        <source>Days since the start</source>
        <translation>已进行天数</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="133"/>
        <source>Coupons redeemed</source>
        <translation>已核销优惠券</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="134"/>
        <source>Revenue per member, coupon group</source>
        <translation>人均营业额（发券组）</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="135"/>
        <source>Revenue per member, hold-out group</source>
        <translation>人均营业额（对照组）</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="136"/>
        <source>Uplift</source>
        <translation>提升</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="137"/>
        <source>Extra revenue from the campaign</source>
        <translation>活动带来的额外营业额</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="140"/>
        <source>Revenue per member since the start</source>
        <translation>活动开始以来的人均营业额</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="145"/>
        <source>Results of the selected campaign</source>
        <translation>所选活动的效果</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="151"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="167"/>
        <source>reading the campaigns</source>
        <translation>读取营销活动</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="175"/>
        <source>{0} (valid {1} days)</source>
        <translation>{0}（有效期 {1} 天）</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="199"/>
        <source>Pick a coupon (no active coupon template was found).</source>
        <translation>请选择优惠券（没有可用的优惠券模板）。</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="208"/>
        <source>Creating the campaign…</source>
        <translation>正在创建活动…</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="217"/>
        <source>creating a campaign</source>
        <translation>创建活动</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="223"/>
        <source>Creating the campaign: {0}…</source>
        <translation>正在创建活动：{0}…</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="238"/>
        <source>Campaign “{0}” created: {1:,} coupons issued, a control group of {2:,} held out.</source>
        <translation>活动“{0}”已创建：发放优惠券 {1:,} 张，{2:,} 名会员留作对照组。</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="251"/>
        <source>Reading the results of {0}…</source>
        <translation>正在读取“{0}”的效果…</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="254"/>
        <source>reading a campaign&apos;s results</source>
        <translation>读取活动效果</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="263"/>
        <source>{0:,} of {1:,} ({2})</source>
        <translation>{1:,} 张中的 {0:,} 张（{2}）</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="268"/>
        <source>no hold-out group</source>
        <translation>没有对照组</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="271"/>
        <source>not measurable yet (the hold-out group has spent nothing)</source>
        <translation>暂时无法衡量（对照组尚无消费）</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="282"/>
        <source>Revenue per member</source>
        <translation>人均营业额</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="294"/>
        <source>Coupon group</source>
        <translation>发券组</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="310"/>
        <source>Export contacts</source>
        <translation>导出联系人</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="311"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="319"/>
        <source>Pick a campaign first.</source>
        <translation>请先选择一个活动。</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="322"/>
        <source>Writing the contact list…</source>
        <translation>正在写入联系人名单…</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="325"/>
        <source>{0:,} contacts written to {1}</source>
        <translation>已将 {0:,} 位联系人写入 {1}</translation>
    </message>
    <message>
        <location filename="../manager/campaigns_tab.py" line="326"/>
        <source>exporting contacts</source>
        <translation>导出联系人</translation>
    </message>
</context>
<context>
    <name>CheckoutDialog</name>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="35"/>
        <source>Checkout</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="49"/>
        <source>Use most</source>
        <translation>用到上限</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="52"/>
        <source>Scan or type a coupon code</source>
        <translation>扫描或输入优惠券码</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="56"/>
        <source>Pick one of the member&apos;s coupons…</source>
        <translation>选择会员的优惠券…</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="59"/>
        <source>{0} (until {1})</source>
        <translation>{0}（有效期至 {1}）</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="62"/>
        <source>Use balance</source>
        <translation>使用余额</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="64"/>
        <source>Exact cash</source>
        <translation>现金刚好</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="70"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="72"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="77"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="79"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="82"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="83"/>
        <source>Balance {0}</source>
        <translation>余额 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="84"/>
        <source>Cash given</source>
        <translation>收取现金</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="85"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="86"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="134"/>
        <source>points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="158"/>
        <source>pricing the sale</source>
        <translation>正在计算价格</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="165"/>
        <source>Total due {0}</source>
        <translation>应付 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="166"/>
        <source>Subtotal {0}</source>
        <translation>小计 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="167"/>
        <source>member discount</source>
        <translation>会员折扣</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="168"/>
        <source>line discounts</source>
        <translation>单品折扣</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="169"/>
        <source>coupon {0}</source>
        <translation>优惠券 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="171"/>
        <source>{0} points</source>
        <translation>{0} 积分</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="178"/>
        <source>The member has {0} points; at most {1} can be used on this bill</source>
        <translation>会员有 {0} 积分；本单最多可用 {1} 积分</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="193"/>
        <source>Left to pay {0}</source>
        <translation>还需支付 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="195"/>
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/checkout_dialog.py" line="257"/>
        <source>Recording the sale</source>
        <translation>正在记录销售</translation>
    </message>
</context>
<context>
    <name>CheckoutFlow</name>
    <message>
        <location filename="../counter/checkout_flow.py" line="33"/>
        <source>The basket is empty: scan an item or type an amount.</source>
        <translation>购物篮是空的：请扫描商品或输入金额。</translation>
    </message>
    <message>
        <location filename="../counter/checkout_flow.py" line="41"/>
        <source>Discounts above {0} need a manager&apos;s PIN.</source>
        <translation>优惠超过 {0} 需要店长密码。</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../counter/window.py" line="72"/>
        <source>Member Terminal — {0}</source>
        <translation>会员终端 — {0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="77"/>
        <source>Scan a member code or item, or type a phone, card, name or SKU, then Enter</source>
        <translation>扫描会员码或商品，或输入手机号、卡号、姓名或商品编码后按回车</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="92"/>
        <source>Enrol</source>
        <translation>入会</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="93"/>
        <source>Top up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="94"/>
        <source>Punch visit</source>
        <translation>次卡消费</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="95"/>
        <source>Checkout</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="97"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="98"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="99"/>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="100"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="160"/>
        <source>opening the database</source>
        <translation>正在打开数据库</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="180"/>
        <source>reading the member-code key</source>
        <translation>读取会员码密钥</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="183"/>
        <location filename="../counter/window.py" line="223"/>
        <source>listing the staff</source>
        <translation>读取员工名单</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="190"/>
        <source>backing up</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="194"/>
        <source>Today&apos;s backup is made.</source>
        <translation>今日备份已完成。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="197"/>
        <source>Today&apos;s backup failed: {0}</source>
        <translation>今日备份失败：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="206"/>
        <source>No staff accounts yet: add the owner with &apos;member-terminal staff add&apos;.</source>
        <translation>还没有员工账号：请用“member-terminal staff add”添加店主。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="216"/>
        <source>Cashier: {0}</source>
        <translation>收银员：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="217"/>
        <source>Signed in: {0}</source>
        <translation>已登录：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="229"/>
        <source>A manager&apos;s PIN opens reports, campaigns, the audit log and member privacy.</source>
        <translation>输入店长密码，打开报表、营销活动、审计日志和会员隐私。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="252"/>
        <source>Not one of our codes: {0}</source>
        <translation>不是本店的码：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="258"/>
        <location filename="../counter/window.py" line="275"/>
        <source>The database could not be opened: {0}</source>
        <translation>无法打开数据库：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="260"/>
        <source>No database: check the settings and restart.</source>
        <translation>没有数据库：请检查设置后重启。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="279"/>
        <source>Still opening the database; try again in a moment.</source>
        <translation>数据库仍在打开，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="282"/>
        <source>Looking up {0}…</source>
        <translation>正在查找 {0}…</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="291"/>
        <source>looking up</source>
        <translation>正在查找</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="298"/>
        <source>Added {0}</source>
        <translation>已添加 {0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="302"/>
        <source>Coupon {0} will be applied at checkout</source>
        <translation>结账时将使用优惠券 {0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="305"/>
        <source>{0} members found: pick one</source>
        <translation>找到 {0} 位会员：请选择</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="322"/>
        <source>reading the member</source>
        <translation>正在读取会员</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="296"/>
        <source>Member: {0}</source>
        <translation>会员：{0}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="348"/>
        <source>pricing the basket</source>
        <translation>正在计算购物篮价格</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="363"/>
        <source>Scan or find the member first.</source>
        <translation>请先扫描或查找会员。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="379"/>
        <source>printing the member card</source>
        <translation>打印会员卡</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="381"/>
        <source>Welcome, {0}: card {1}</source>
        <translation>欢迎，{0}：卡号 {1}</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="396"/>
        <source>{0} has no punch card.</source>
        <translation>{0} 没有次卡。</translation>
    </message>
    <message>
        <location filename="../counter/window.py" line="416"/>
        <source>Done: receipt {0}</source>
        <translation>完成：小票 {0}</translation>
    </message>
</context>
<context>
    <name>DayTab</name>
    <message>
        <location filename="../manager/day_tab.py" line="111"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="113"/>
        <source>Close the day…</source>
        <translation>日结关账…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="115"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="117"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="119"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="122"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="137"/>
        <source>End-of-day report</source>
        <translation>日结报表</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="158"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="162"/>
        <source>Revenue</source>
        <translation>营业额</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="160"/>
        <location filename="../manager/day_tab.py" line="173"/>
        <location filename="../manager/day_tab.py" line="429"/>
        <source>Redeemed</source>
        <translation>已兑换</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="161"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="163"/>
        <source>Cost share</source>
        <translation>成本占比</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="159"/>
        <location filename="../manager/day_tab.py" line="172"/>
        <location filename="../manager/day_tab.py" line="426"/>
        <source>Issued</source>
        <translation>发放</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="171"/>
        <source>Points by month</source>
        <translation>每月积分</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="178"/>
        <source>Programme economics (last 12 months)</source>
        <translation>会员计划成本（近 12 个月）</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="232"/>
        <source>Adding up {0}…</source>
        <translation>正在汇总 {0}…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="239"/>
        <source>adding up the day</source>
        <translation>汇总当日</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="253"/>
        <source>{0} is closed: these are the figures kept at closing.</source>
        <translation>{0} 已日结：以下为关账时保存的数据。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="256"/>
        <source>{0}: {1} sales. The day is open: the figures may still change.</source>
        <translation>{0}：{1} 笔销售。当日尚未日结，数据仍可能变化。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="267"/>
        <location filename="../manager/day_tab.py" line="273"/>
        <source>Close the day</source>
        <translation>日结关账</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="268"/>
        <source>Close {0} for good? Its report is kept as it stands now ({1} sales, revenue {2}); what is recorded on this date later is not added to it.</source>
        <translation>确定对 {0} 日结关账吗？报表将按当前数据保存（{1} 笔销售，营业额 {2}）；此后记入该日期的交易不再计入。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="275"/>
        <source>Keep it open</source>
        <translation>暂不关账</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="284"/>
        <source>The day was not closed.</source>
        <translation>未日结。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="288"/>
        <source>Closing {0}…</source>
        <translation>正在日结 {0}…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="299"/>
        <source>{0} is closed. Its figures are kept as shown.</source>
        <translation>{0} 已日结，数据按所示保存。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="303"/>
        <source>closing the day</source>
        <translation>日结关账</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="312"/>
        <source>Sending to the printer…</source>
        <translation>正在发送到打印机…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="315"/>
        <source>The report of {0} is queued for the receipt printer.</source>
        <translation>{0} 的报表已加入小票打印队列。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="317"/>
        <source>queueing the report for printing</source>
        <translation>将报表加入打印队列</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="324"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="326"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="332"/>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="334"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="342"/>
        <location filename="../manager/day_tab.py" line="352"/>
        <source>No report to export yet.</source>
        <translation>还没有可导出的报表。</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="362"/>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="365"/>
        <source>Written to {0}</source>
        <translation>已写入 {0}</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="371"/>
        <source>Adding up the programme&apos;s months…</source>
        <translation>正在按月汇总会员计划…</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="373"/>
        <source>adding up the programme</source>
        <translation>汇总会员计划</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="389"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="399"/>
        <source>{0} = {1} of revenue ({2}); typical: about 1%</source>
        <translation>{0}，占营业额（{2}）的 {1}；一般约为 1%</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="402"/>
        <source>{0} ({1:,} live points)</source>
        <translation>{0}（有效积分 {1:,}）</translation>
    </message>
    <message>
        <location filename="../manager/day_tab.py" line="404"/>
        <source>{0} (redemption rate {1})</source>
        <translation>{0}（兑换率 {1}）</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="28"/>
        <source>Enrol a member</source>
        <translation>会员入会</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="34"/>
        <source>e.g. 138 0013 8000</source>
        <translation>例如 138 0013 8000</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="37"/>
        <source>Agrees to receive offers</source>
        <translation>同意接收优惠信息</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="38"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="48"/>
        <source>Their referral code (optional)</source>
        <translation>推荐人的推荐码（可选）</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="51"/>
        <source>Enrol</source>
        <translation>入会</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="53"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="57"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="58"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="61"/>
        <source>Referrer</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="87"/>
        <source>Phone number OK</source>
        <translation>手机号有效</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/enrol_dialog.py" line="99"/>
        <source>Enrolling</source>
        <translation>正在入会</translation>
    </message>
</context>
<context>
    <name>ManagerLabels</name>
    <message>
        <location filename="../manager/common.py" line="41"/>
        <source>Champions</source>
        <translation>核心会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="42"/>
        <source>Loyal</source>
        <translation>忠诚会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="43"/>
        <source>Potential</source>
        <translation>潜力会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="44"/>
        <source>New</source>
        <translation>新会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="45"/>
        <source>At risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="46"/>
        <source>Hibernating</source>
        <translation>沉睡会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="47"/>
        <source>Zombie (never bought)</source>
        <translation>僵尸会员（从未消费）</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="48"/>
        <source>Lost</source>
        <translation>已流失</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="51"/>
        <source>Zombie</source>
        <translation>僵尸会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="59"/>
        <source>reading a year of sales</source>
        <translation>读取一年的销售</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="60"/>
        <source>scoring members</source>
        <translation>为会员评分</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="61"/>
        <source>counting segments</source>
        <translation>统计分群</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="63"/>
        <source>listing lapsed members</source>
        <translation>列出流失中的会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="65"/>
        <source>finding the segment&apos;s members</source>
        <translation>查找分群内的会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="66"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="69"/>
        <source>issuing {0} coupons</source>
        <translation>发放 {0} 张优惠券</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="77"/>
        <source>Refund</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="78"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="79"/>
        <source>Top-up reversed</source>
        <translation>撤销充值</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="80"/>
        <source>Stored value cashed out</source>
        <translation>储值退现</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="81"/>
        <source>Points adjusted by hand</source>
        <translation>手动调整积分</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="82"/>
        <source>Full phone number shown</source>
        <translation>查看完整手机号</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="83"/>
        <source>Member&apos;s data exported</source>
        <translation>导出会员数据</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="84"/>
        <source>Member erased</source>
        <translation>删除会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="85"/>
        <source>Staff account added</source>
        <translation>新增员工账号</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="86"/>
        <source>Manager PIN refused</source>
        <translation>店长 PIN 被拒绝</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="87"/>
        <source>Campaign created</source>
        <translation>创建营销活动</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="88"/>
        <source>Contact list exported</source>
        <translation>导出联系人名单</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="89"/>
        <source>Members imported</source>
        <translation>导入会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="90"/>
        <source>Members exported</source>
        <translation>导出会员</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="91"/>
        <source>Sales exported</source>
        <translation>导出销售</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="92"/>
        <source>Ledgers exported</source>
        <translation>导出账本</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="93"/>
        <source>Day closed</source>
        <translation>日结</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="94"/>
        <source>Offer saved</source>
        <translation>优惠已保存</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="101"/>
        <source>entries {0} to {1} are missing</source>
        <translation>第 {0} 至 {1} 条记录缺失</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="103"/>
        <source>entry {0} does not follow the entry before it</source>
        <translation>第 {0} 条记录与前一条衔接不上</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="106"/>
        <source>entry {0} was changed after it was written</source>
        <translation>第 {0} 条记录在写入后被修改</translation>
    </message>
    <message>
        <location filename="../manager/common.py" line="126"/>
        <source>en</source>
        <comment>the language code of the reports; zh_CN in Chinese</comment>
        <translation>zh_CN</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="32"/>
        <source>Amount off</source>
        <translation>立减金额</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="33"/>
        <source>Percent off</source>
        <translation>折扣百分比</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="34"/>
        <source>Free item</source>
        <translation>赠品</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="41"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="42"/>
        <source>welcome</source>
        <translation>入会礼</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="43"/>
        <source>next visit</source>
        <translation>下次到店</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="44"/>
        <source>cross-sell</source>
        <translation>交叉销售</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="45"/>
        <source>birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="46"/>
        <source>win back</source>
        <translation>唤回</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="49"/>
        <source>None: by hand or by a campaign</source>
        <translation>无：手动或通过营销活动发放</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="50"/>
        <source>Welcome: on joining</source>
        <translation>入会礼：入会时发放</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="51"/>
        <source>Next visit: after a sale of a minimum spend</source>
        <translation>下次到店：单笔消费满额后发放</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="53"/>
        <source>Cross-sell: bought a category or brand</source>
        <translation>交叉销售：购买某品类或品牌后发放</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="55"/>
        <source>Birthday: scanned in the birthday week</source>
        <translation>生日：生日当周到店扫码时发放</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="57"/>
        <source>Win back: scanned after days away</source>
        <translation>唤回：久未到店后扫码时发放</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="31"/>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="32"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="33"/>
        <source>Owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="43"/>
        <location filename="../manager/staff_tab.py" line="45"/>
        <source>Only an owner adds staff: ask the owner to sign in.</source>
        <translation>只有店主能添加员工：请店主登录。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="47"/>
        <source>Someone already uses this PIN: choose another.</source>
        <translation>已有人使用此 PIN：请换一个。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="49"/>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 为 4 到 8 位数字。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="51"/>
        <source>A name of 1 to 100 characters is needed.</source>
        <translation>需要填写 1 到 100 个字符的名称。</translation>
    </message>
</context>
<context>
    <name>ManagerPinDialog</name>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="36"/>
        <source>Manager approval</source>
        <translation>店长授权</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="48"/>
        <source>Approve</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="51"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="98"/>
        <source>Checking the PIN</source>
        <translation>正在核对密码</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="38"/>
        <source>manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="38"/>
        <source>owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="47"/>
        <source>Their PIN</source>
        <translation>授权人的密码</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="60"/>
        <source>Who approves?</source>
        <translation>由谁授权？</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="68"/>
        <source>Finding the managers…</source>
        <translation>正在查找店长…</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="70"/>
        <source>listing the managers</source>
        <translation>列出店长</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/manager_pin.py" line="78"/>
        <source>No manager or owner account yet: an owner adds one on the Staff tab.</source>
        <translation>还没有店长或店主账号：请店主在“员工”页添加。</translation>
    </message>
</context>
<context>
    <name>ManagerWindow</name>
    <message>
        <location filename="../manager/window.py" line="37"/>
        <source>Manager — {0}</source>
        <translation>店长 — {0}</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="46"/>
        <source>Members</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="47"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="48"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="49"/>
        <source>Member privacy</source>
        <translation>会员隐私</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="50"/>
        <source>Day and economics</source>
        <translation>日结与成本</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="51"/>
        <source>Offers</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="52"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../manager/window.py" line="70"/>
        <source>Working: {0}…</source>
        <translation>处理中：{0}…</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../counter/member_panel.py" line="68"/>
        <source>Suggest: use the {0} points that expire on {1}</source>
        <translation>建议：提醒使用将于 {1} 过期的 {0} 积分</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="71"/>
        <source>Suggest: the member has {0} coupon(s) to use today</source>
        <translation>建议：会员有 {0} 张优惠券可今天使用</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="74"/>
        <source>Suggest: {0} more reaches {1}</source>
        <translation>建议：再消费 {0} 即可升级为{1}</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="77"/>
        <source>Suggest: {0} points can pay {1}</source>
        <translation>建议：{0} 积分可抵 {1}</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="88"/>
        <source>No member</source>
        <translation>未选择会员</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="94"/>
        <source>Card {0}   Phone {1}
Referral code {2}</source>
        <translation>卡号 {0}   手机 {1}
推荐码 {2}</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="98"/>
        <source>Birthday this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="100"/>
        <source>New member</source>
        <translation>新会员</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="102"/>
        <source>Lapsed: welcome back</source>
        <translation>久未到店：欢迎回来</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="107"/>
        <source>{0} member, {1}% off</source>
        <translation>{0}，优惠 {1}%</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="114"/>
        <source>Spend {0} more for {1}</source>
        <translation>再消费 {0} 升级为{1}</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="119"/>
        <source>Top tier</source>
        <translation>最高等级</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="120"/>
        <source>{0} points (worth {1})</source>
        <translation>{0} 积分（价值 {1}）</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="122"/>
        <source>Stored value {0}</source>
        <translation>储值 {0}</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="125"/>
        <source>{0} points expire on {1}</source>
        <translation>{0} 积分将于 {1} 过期</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="129"/>
        <source>{0}: {1}/{2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../counter/member_panel.py" line="133"/>
        <source>Coupon {0} until {1}</source>
        <translation>优惠券 {0}，至 {1}</translation>
    </message>
</context>
<context>
    <name>MembersTab</name>
    <message>
        <location filename="../manager/members_tab.py" line="93"/>
        <source>Refresh analytics</source>
        <translation>刷新分析</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="101"/>
        <source>Press Refresh to analyse the members (on a big store this takes about half a minute).</source>
        <translation>点击“刷新分析”开始分析会员（会员很多时约需半分钟）。</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="115"/>
        <source>Segments: members and revenue</source>
        <translation>分群：会员与营业额占比</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="116"/>
        <source>The 80/20 curve</source>
        <translation>80/20 曲线</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="117"/>
        <source>Active members</source>
        <translation>活跃会员</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="118"/>
        <location filename="../manager/members_tab.py" line="139"/>
        <location filename="../manager/members_tab.py" line="267"/>
        <source>Share of members</source>
        <translation>会员占比</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="119"/>
        <location filename="../manager/members_tab.py" line="141"/>
        <location filename="../manager/members_tab.py" line="270"/>
        <location filename="../manager/members_tab.py" line="300"/>
        <source>Share of revenue</source>
        <translation>营业额占比</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="122"/>
        <location filename="../manager/members_tab.py" line="333"/>
        <source>Bought within</source>
        <translation>期间内有消费</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="137"/>
        <location filename="../manager/members_tab.py" line="147"/>
        <source>Segment</source>
        <translation>分群</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="138"/>
        <source>Members</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="140"/>
        <source>Revenue (365 days)</source>
        <translation>营业额（365 天）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="144"/>
        <location filename="../manager/members_tab.py" line="153"/>
        <location filename="../manager/members_tab.py" line="160"/>
        <source>Card</source>
        <translation>卡号</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="145"/>
        <location filename="../manager/members_tab.py" line="154"/>
        <location filename="../manager/members_tab.py" line="161"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="146"/>
        <location filename="../manager/members_tab.py" line="155"/>
        <location filename="../manager/members_tab.py" line="162"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="148"/>
        <source>Last purchase</source>
        <translation>最近消费</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="149"/>
        <source>Purchases</source>
        <translation>消费次数</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="150"/>
        <source>Spend (365 days)</source>
        <translation>消费额（365 天）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="156"/>
        <source>Points expiring</source>
        <translation>即将过期积分</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="157"/>
        <source>First expiry</source>
        <translation>最早过期时间</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="163"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="164"/>
        <source>Marketing consent</source>
        <translation>同意接收营销</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="165"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="165"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="168"/>
        <source>Segments</source>
        <translation>分群</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="168"/>
        <source>Lapsed members</source>
        <translation>流失中的会员</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="169"/>
        <source>Points expiring in 30 days</source>
        <translation>30 天内过期的积分</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="170"/>
        <source>Birthdays this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="181"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="207"/>
        <source>Analysing the members…</source>
        <translation>正在分析会员…</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="210"/>
        <source>analysing the members</source>
        <translation>分析会员</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="216"/>
        <source>Analysing the members: {0}…</source>
        <translation>正在分析会员：{0}…</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="234"/>
        <source>Up to date: {0}</source>
        <translation>已更新：{0}</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="237"/>
        <source>{0:,} live members on {1}. The top 20% of buyers bring {2} of the revenue; {3} bought in the last 90 days.</source>
        <translation>{1} 共有 {0:,} 名有效会员。消费最多的前 20% 会员贡献了 {2} 的营业额；{3} 的会员在最近 90 天内有消费。</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="265"/>
        <source>{0} ({1:,})</source>
        <translation>{0}（{1:,}）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="297"/>
        <source>Top 20% of buyers: {0} of revenue</source>
        <translation>前 20% 消费会员贡献 {0} 营业额</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="305"/>
        <source>If all spent alike</source>
        <translation>人人消费相同时</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="310"/>
        <source>Top 20%: {0}</source>
        <translation>前 20%：{0}</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="318"/>
        <source>Buyers, biggest first (%)</source>
        <translation>消费会员，按消费额从高到低（%）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="319"/>
        <source>Revenue (%)</source>
        <translation>营业额（%）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="332"/>
        <source>{0} days</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="348"/>
        <source>Members (%)</source>
        <translation>会员（%）</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="357"/>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="358"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="367"/>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../manager/members_tab.py" line="370"/>
        <source>{0} rows written to {1}</source>
        <translation>已将 {0} 行写入 {1}</translation>
    </message>
</context>
<context>
    <name>OffersTab</name>
    <message>
        <location filename="../manager/offers_tab.py" line="85"/>
        <location filename="../manager/offers_tab.py" line="144"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="86"/>
        <location filename="../manager/offers_tab.py" line="144"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="87"/>
        <location filename="../manager/offers_tab.py" line="145"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="88"/>
        <source>Off / item</source>
        <translation>优惠 / 赠品</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="89"/>
        <source>Min. spend</source>
        <translation>最低消费</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="90"/>
        <source>Categories / brands</source>
        <translation>品类 / 品牌</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="92"/>
        <source>Valid days</source>
        <translation>有效天数</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="93"/>
        <source>Rule</source>
        <translation>发放规则</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="94"/>
        <source>Rule spend</source>
        <translation>获券消费额</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="95"/>
        <source>Rule category</source>
        <translation>所购品类/品牌</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="96"/>
        <source>Rule days</source>
        <translation>规则天数</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="97"/>
        <location filename="../manager/offers_tab.py" line="110"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="97"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="97"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="106"/>
        <source>e.g. CARE10</source>
        <translation>例如 CARE10</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="109"/>
        <source>e.g. Bought shampoo: 10 off conditioner</source>
        <translation>例如 买洗发水：护发素立减10元</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="113"/>
        <source>empty: the English name</source>
        <translation>留空则用英文名称</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="149"/>
        <source>Name in Chinese</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="121"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="125"/>
        <source>any; or e.g. care, drinks</source>
        <translation>不限；或如 care, drinks</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="127"/>
        <source>e.g. BrandB</source>
        <translation>例如 BrandB</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="138"/>
        <source>e.g. care</source>
        <translation>例如 care</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="146"/>
        <location filename="../manager/offers_tab.py" line="322"/>
        <source>Amount off</source>
        <translation>立减金额</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="147"/>
        <source>Percent off</source>
        <translation>折扣百分比</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="148"/>
        <source>Free item</source>
        <translation>赠品</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="149"/>
        <location filename="../manager/offers_tab.py" line="325"/>
        <source>Minimum spend</source>
        <translation>最低消费</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="150"/>
        <source>Days valid</source>
        <translation>有效天数</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="151"/>
        <source>Categories</source>
        <translation>适用品类</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="152"/>
        <source>Brands</source>
        <translation>适用品牌</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="154"/>
        <source>Given</source>
        <translation>发放方式</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="155"/>
        <location filename="../manager/offers_tab.py" line="329"/>
        <source>Spend that earns it</source>
        <translation>获券消费额</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="156"/>
        <source>Category or brand bought</source>
        <translation>所购品类或品牌</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="157"/>
        <source>Days (back / away)</source>
        <translation>天数（回溯 / 未到店）</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="168"/>
        <location filename="../manager/offers_tab.py" line="180"/>
        <location filename="../manager/offers_tab.py" line="253"/>
        <source>New offer</source>
        <translation>新建优惠</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="170"/>
        <source>Save the offer</source>
        <translation>保存优惠</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="172"/>
        <location filename="../manager/offers_tab.py" line="244"/>
        <location filename="../manager/offers_tab.py" line="265"/>
        <source>Switch off</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="187"/>
        <source>Offers are coupon templates: a campaign or the counter issues coupons from them; with a rule the counter gives them out by itself.</source>
        <translation>优惠即优惠券模板：营销活动或收银台据此发券；设置了发放规则的，收银台会自动发放。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="211"/>
        <source>reading the offers</source>
        <translation>读取优惠</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="224"/>
        <location filename="../manager/offers_tab.py" line="353"/>
        <source>Change the offer {0}</source>
        <translation>修改优惠 {0}</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="244"/>
        <source>Switch on</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="281"/>
        <source>Given only by hand or by a campaign.</source>
        <translation>仅手动或通过营销活动发放。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="282"/>
        <source>Every new member gets one when they join.</source>
        <translation>每位新会员入会时获得一张。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="283"/>
        <source>A member gets one for a sale of at least the spend that earns it, for their next visit.</source>
        <translation>会员单笔消费达到获券消费额即获得一张，供下次到店使用。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="285"/>
        <source>A member gets one for buying the category or brand (in this sale, or within the days back), once until used.</source>
        <translation>会员购买该品类或品牌（本单或回溯天数内）即获得一张；未用完前不重复发放。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="287"/>
        <source>A member scanned in their birthday week gets one, once a year.</source>
        <translation>会员在生日当周到店扫码时获得一张，每年一次。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="289"/>
        <source>A member scanned after the days away (90 if 0) gets one, once per absence.</source>
        <translation>会员超过未到店天数（填 0 即 90 天）后到店扫码时获得一张，每次久未到店一次。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="301"/>
        <source>{0}: not an amount: {1}</source>
        <translation>{0}：不是金额：{1}</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="311"/>
        <location filename="../manager/offers_tab.py" line="314"/>
        <source>The percent must be a number from 0 to 100.</source>
        <translation>百分比必须是 0 到 100 之间的数字。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="346"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="350"/>
        <source>Offer {0} saved.</source>
        <translation>优惠 {0} 已保存。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="357"/>
        <source>saving an offer</source>
        <translation>保存优惠</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="372"/>
        <source>Offer {0} is on.</source>
        <translation>优惠 {0} 已启用。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="373"/>
        <source>Offer {0} is off: no new coupons of it are given.</source>
        <translation>优惠 {0} 已停用：不再发放新券。</translation>
    </message>
    <message>
        <location filename="../manager/offers_tab.py" line="378"/>
        <source>switching an offer</source>
        <translation>切换优惠状态</translation>
    </message>
</context>
<context>
    <name>PickDialog</name>
    <message>
        <location filename="../counter/dialogs/pick_dialog.py" line="19"/>
        <source>Which member?</source>
        <translation>哪位会员？</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/pick_dialog.py" line="27"/>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/pick_dialog.py" line="29"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PrintPane</name>
    <message>
        <location filename="../counter/print_pane.py" line="77"/>
        <location filename="../counter/print_pane.py" line="173"/>
        <source>Printer: all printed</source>
        <translation>打印机：全部已打印</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="86"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="89"/>
        <source>Reprint</source>
        <translation>重打</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="92"/>
        <source>Receipt no. (empty: the last)</source>
        <translation>小票号（留空：最近一张）</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="126"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="126"/>
        <source>printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="127"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="184"/>
        <source>Nothing is waiting to print.</source>
        <translation>没有等待打印的内容。</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="230"/>
        <source>Could not reach the print queue: {0}</source>
        <translation>无法连接打印队列：{0}</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="87"/>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="88"/>
        <source>The selected receipt came out: take it off the list</source>
        <translation>所选小票已打出：从列表中移除</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="128"/>
        <source>not confirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="129"/>
        <source>sent, the printer gives no confirmation</source>
        <translation>已发送，打印机不回报确认</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="130"/>
        <source>printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="163"/>
        <source>Check the printer: Printed if it came out, Retry if not.</source>
        <translation>请查看打印机：打出来了按“已打印”，没有就按“重试”。</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="170"/>
        <source>Printer: {0} {1}</source>
        <translation>打印机：{0} {1}</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="176"/>
        <source>{0} failed</source>
        <translation>{0} 张失败</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="176"/>
        <source>{0} not confirmed</source>
        <translation>{0} 张未确认</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="177"/>
        <source>{0} waiting</source>
        <translation>{0} 张等待</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="178"/>
        <source>Printer: {0}</source>
        <translation>打印机：{0}</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="178"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../counter/print_pane.py" line="197"/>
        <source>No receipt is waiting for confirmation.</source>
        <translation>没有等待确认的小票。</translation>
    </message>
</context>
<context>
    <name>PrivacyTab</name>
    <message>
        <location filename="../manager/privacy_tab.py" line="61"/>
        <source>Phone, card number, member code or the start of a name</source>
        <translation>手机号、卡号、会员码或姓名开头</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="63"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="70"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="71"/>
        <source>Card</source>
        <translation>卡号</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="72"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="73"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="74"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="75"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="81"/>
        <location filename="../manager/privacy_tab.py" line="173"/>
        <source>Find a member and pick them in the list.</source>
        <translation>请查找会员并在列表中选中。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="84"/>
        <source>Show the full phone number</source>
        <translation>查看完整手机号</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="89"/>
        <source>Export their data…</source>
        <translation>导出会员数据…</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="94"/>
        <source>Why, e.g. the member&apos;s written request of 1 March</source>
        <translation>原因，例如：会员 3 月 1 日的书面申请</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="95"/>
        <source>Erase the member…</source>
        <translation>删除会员…</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="101"/>
        <source>Erasing removes the name, phone and birthday for good; the member&apos;s sales stay in the books under a pseudonym. Stored value must be cashed out first; points, coupons and punch cards lapse.</source>
        <translation>删除将永久清除姓名、手机号和生日；会员的消费记录以化名保留在账上。储值须先退现；积分、优惠券和次卡随之失效。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="114"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="119"/>
        <source>The member&apos;s data</source>
        <translation>会员数据</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="141"/>
        <source>Type a phone, card or name first.</source>
        <translation>请先输入手机号、卡号或姓名。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="144"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="146"/>
        <source>finding members</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="156"/>
        <source>No member found.</source>
        <translation>未找到会员。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="158"/>
        <source>{0} found.</source>
        <translation>找到 {0} 位。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="175"/>
        <source>{0} — card {1}, phone {2}</source>
        <translation>{0} — 卡号 {1}，手机 {2}</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="190"/>
        <source>Shown to you: this is written in the audit log.</source>
        <translation>已显示：此操作已记入审计日志。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="193"/>
        <source>showing a phone number</source>
        <translation>查看手机号</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="199"/>
        <source>Export the member&apos;s data</source>
        <translation>导出会员数据</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="200"/>
        <source>JSON (*.json);;CSV (*.csv)</source>
        <translation>JSON (*.json);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="208"/>
        <source>Pick a member first.</source>
        <translation>请先选择会员。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="216"/>
        <source>Writing…</source>
        <translation>正在写入…</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="218"/>
        <source>Written to {0}</source>
        <translation>已写入 {0}</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="219"/>
        <source>exporting a member&apos;s data</source>
        <translation>导出会员数据</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="228"/>
        <source>Say why the member is erased (e.g. their request and its date).</source>
        <translation>请填写删除原因（例如会员的申请及日期）。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="231"/>
        <source>Erase a member</source>
        <translation>删除会员</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="232"/>
        <source>Erase {0} (card {1}) for good? This cannot be undone.</source>
        <translation>永久删除 {0}（卡号 {1}）？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="234"/>
        <source>Erase</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="235"/>
        <source>Keep the member</source>
        <translation>保留会员</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="244"/>
        <source>Not erased.</source>
        <translation>未删除。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="248"/>
        <source>Erasing…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="256"/>
        <source>erasing a member</source>
        <translation>删除会员</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="262"/>
        <source>{0} (card {1}) was erased.</source>
        <translation>{0}（卡号 {1}）已删除。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="264"/>
        <source>Backups of the database server made before now still hold their data until they are deleted.</source>
        <translation>此前为数据库服务器所做的备份仍保存着该会员的资料，直到这些备份被删除。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="267"/>
        <source>Backups made before now that still hold their data: {0}.</source>
        <translation>此前所做、仍保存着该会员资料的备份：{0} 份。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="270"/>
        <source>No backup of this database holds their data.</source>
        <translation>本数据库的备份中没有该会员的资料。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="279"/>
        <source>The database no longer holds the data of {0} (card {1}), but the copies listed below, made before the erasure, still do.</source>
        <translation>数据库中已不再有 {0}（卡号 {1}）的资料，但下列在删除之前所做的副本中仍有。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="285"/>
        <source>Automatic backups are kept {0} days: the last of these is deleted on {1}.</source>
        <translation>自动备份保留 {0} 天：其中最后一份将于 {1} 删除。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="289"/>
        <source>The others are never deleted automatically: delete them by hand if the member&apos;s data must go from them too (and any copy kept elsewhere).</source>
        <translation>其余副本不会自动删除：如果会员的资料也必须从中清除，请手动删除它们（以及存放在别处的任何副本）。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="293"/>
        <source>Another terminal was using the database: its journal file (-wal) still holds the data until it is emptied, at the latest when every terminal has closed the database.</source>
        <translation>另一台终端正在使用数据库：其日志文件（-wal）在清空之前仍保存着这些资料，最迟在所有终端都关闭数据库时清空。</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="296"/>
        <source>{0} — deleted on {1}</source>
        <translation>{0} — 将于 {1} 删除</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="297"/>
        <source>{0} — kept until deleted by hand</source>
        <translation>{0} — 保留到手动删除为止</translation>
    </message>
    <message>
        <location filename="../manager/privacy_tab.py" line="299"/>
        <source>Copies that still hold it</source>
        <translation>仍保存着资料的副本</translation>
    </message>
</context>
<context>
    <name>PunchDialog</name>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="24"/>
        <source>Use a punch card visit</source>
        <translation>使用次卡</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="29"/>
        <source>{0}: {1}/{2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="33"/>
        <source>Use one visit</source>
        <translation>使用一次</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="35"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="53"/>
        <source>the member has no punch card</source>
        <translation>该会员没有次卡</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/punch_dialog.py" line="58"/>
        <source>Recording the visit</source>
        <translation>正在记录次卡消费</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <location filename="../counter/receipt_view.py" line="21"/>
        <source>The receipt of the last sale appears here.</source>
        <translation>最近一笔交易的小票显示在这里。</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="33"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="33"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="33"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="34"/>
        <source>Top-up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="34"/>
        <source>Punch card visit</source>
        <translation>次卡消费</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="35"/>
        <source>Top-up reversal</source>
        <translation>充值撤销</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="36"/>
        <source>Stored value refund</source>
        <translation>储值退款</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="37"/>
        <source>Points adjustment</source>
        <translation>积分调整</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="38"/>
        <source>Line discount</source>
        <translation>单品折扣</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="38"/>
        <source>Member discount</source>
        <translation>会员折扣</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="39"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="39"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="40"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="40"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="41"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="41"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="42"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="47"/>
        <source>For receipt {0}</source>
        <translation>原小票 {0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="53"/>
        <source>saved {0}</source>
        <translation>节省 {0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="54"/>
        <source>Subtotal: {0}</source>
        <translation>小计：{0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="56"/>
        <source>Total: {0}</source>
        <translation>合计：{0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="59"/>
        <source>Change: {0}</source>
        <translation>找零：{0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="61"/>
        <source>Top-up bonus: {0}</source>
        <translation>充值赠送：{0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="65"/>
        <source>Card {0}  {1}</source>
        <translation>卡号 {0}  {1}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="66"/>
        <source>Points earned {0}, used {1}, balance {2}</source>
        <translation>本次得积分 {0}，使用 {1}，余额 {2}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="68"/>
        <source>Stored value balance: {0}</source>
        <translation>储值余额：{0}</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="70"/>
        <source>{0} points expire on {1}</source>
        <translation>{0} 积分将于 {1} 过期</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="72"/>
        <source>{0}: {1} of {2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../counter/receipt_view.py" line="75"/>
        <source>Coupon for next time: {0} ({1}), until {2}</source>
        <translation>下次可用优惠券：{0}（{1}），至 {2}</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="40"/>
        <source>Refund or void a sale</source>
        <translation>退款或作废销售</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="44"/>
        <source>Receipt number, e.g. {0}-000042</source>
        <translation>小票号，例如 {0}-000042</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="47"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="51"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="51"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="52"/>
        <source>Return</source>
        <translation>退回数量</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="56"/>
        <source>Void the whole sale (today&apos;s sales only)</source>
        <translation>整单作废（仅限当天销售）</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="59"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="61"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="63"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="89"/>
        <source>Finding the sale…</source>
        <translation>正在查找销售…</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="91"/>
        <source>finding the sale</source>
        <translation>正在查找销售</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="97"/>
        <source>{0}  {1}  {2}  total {3}  {4}</source>
        <translation>{0}  {1}  {2}  合计 {3}  {4}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="98"/>
        <source>no member</source>
        <translation>非会员</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="125"/>
        <source>find the sale first</source>
        <translation>请先查找销售</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="128"/>
        <source>choose at least one item to return</source>
        <translation>请至少选择一件退回的商品</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="133"/>
        <source>A manager approves voiding receipt {0}.</source>
        <translation>需店长授权作废小票 {0}。</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="134"/>
        <source>A manager approves the refund of receipt {0}.</source>
        <translation>需店长授权小票 {0} 的退款。</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="142"/>
        <source>Not refunded: a refund or void needs a manager&apos;s approval.</source>
        <translation>未退款：退款或作废需要店长授权。</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/refund_dialog.py" line="154"/>
        <source>Recording the refund</source>
        <translation>正在记录退款</translation>
    </message>
</context>
<context>
    <name>SalePanel</name>
    <message>
        <location filename="../counter/basket.py" line="48"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="48"/>
        <location filename="../counter/basket.py" line="66"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="48"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="48"/>
        <location filename="../counter/basket.py" line="77"/>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="49"/>
        <location filename="../counter/basket.py" line="135"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="61"/>
        <source>+1</source>
        <translation>+1</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="62"/>
        <source>−1</source>
        <translation>−1</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="63"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="68"/>
        <source>Set qty</source>
        <translation>改数量</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="71"/>
        <source>Quick amount, e.g. 25.50</source>
        <translation>快捷金额，例如 25.50</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="72"/>
        <source>Add amount</source>
        <translation>加金额</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="75"/>
        <source>Line discount</source>
        <translation>单品优惠</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="193"/>
        <location filename="../counter/basket.py" line="223"/>
        <source>the basket is empty: scan an item first</source>
        <translation>购物篮是空的：请先扫描商品</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="150"/>
        <source>at most {0} of one item on a line</source>
        <translation>同一商品每行最多 {0} 件</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="194"/>
        <source>a quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="227"/>
        <source>a discount cannot be more than the line</source>
        <translation>优惠不能超过该行金额</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="269"/>
        <source>Scan an item, or type a quick amount</source>
        <translation>扫描商品，或输入快捷金额</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="272"/>
        <source>Pricing…</source>
        <translation>正在计价…</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="277"/>
        <source>{0} items   Subtotal {1}   Discounts -{2}</source>
        <translation>{0} 件   小计 {1}   优惠 -{2}</translation>
    </message>
    <message>
        <location filename="../counter/basket.py" line="279"/>
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="21"/>
        <location filename="../counter/dialogs/sign_in.py" line="36"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="25"/>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="25"/>
        <source>manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="26"/>
        <source>owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="34"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="42"/>
        <source>Who is at the counter?</source>
        <translation>谁在收银台？</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/sign_in.py" line="56"/>
        <source>Signing in</source>
        <translation>正在登录</translation>
    </message>
</context>
<context>
    <name>StaffTab</name>
    <message>
        <location filename="../manager/staff_tab.py" line="81"/>
        <location filename="../manager/staff_tab.py" line="123"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="82"/>
        <location filename="../manager/staff_tab.py" line="124"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="83"/>
        <source>Signed in now</source>
        <translation>当前登录</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="84"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="99"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="101"/>
        <source>Take off the staff</source>
        <translation>移除员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="106"/>
        <source>e.g. Li Na</source>
        <translation>例如 李娜</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="117"/>
        <source>4 to 8 digits</source>
        <translation>4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="118"/>
        <source>the same PIN again</source>
        <translation>再输入一次相同的 PIN</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="119"/>
        <source>Add the person</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="125"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="126"/>
        <source>PIN again</source>
        <translation>确认 PIN</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="132"/>
        <source>Add a person</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="142"/>
        <source>Active staff</source>
        <translation>在职员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="177"/>
        <source>{0} active.</source>
        <translation>在职 {0} 人。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="181"/>
        <source>reading the staff</source>
        <translation>读取员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="207"/>
        <source>Select the person first.</source>
        <translation>请先选择员工。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="213"/>
        <source>{0} is no longer on the staff.</source>
        <translation>{0} 已不再是员工。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="219"/>
        <source>taking someone off the staff</source>
        <translation>移除员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="228"/>
        <source>Type the person&apos;s name.</source>
        <translation>请输入员工姓名。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="232"/>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 为 4 到 8 位数字。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="236"/>
        <source>The two PINs differ: type them again.</source>
        <translation>两次输入的 PIN 不一致：请重新输入。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="243"/>
        <source>Adding…</source>
        <translation>正在添加…</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="250"/>
        <source>{0} was added as {1}.</source>
        <translation>已添加 {0}，角色：{1}。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="260"/>
        <source>adding a person</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="89"/>
        <source>Person or terminal</source>
        <translation>人员或终端</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="90"/>
        <source>Terminal {0}</source>
        <translation>终端 {0}</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="91"/>
        <source>Wrong PINs</source>
        <translation>密码错误次数</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="92"/>
        <source>Waits until</source>
        <translation>等待至</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="96"/>
        <source>Clear the wait</source>
        <translation>解除等待</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="128"/>
        <source>Only an owner adds staff. Nobody may share a PIN: a cashier whose PIN were a manager&apos;s could approve as them.</source>
        <translation>只有店主可以添加员工。每人的密码都不能相同：收银员的密码若与店长相同，就能以店长的身份授权。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="149"/>
        <source>Wrong PINs still counted: a person waits after {0} in a row, a terminal after {1}; an owner can clear a wait.</source>
        <translation>仍在计数的密码错误：同一人连续错 {0} 次后须等待，同一终端错 {1} 次后须等待；店主可以解除等待。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="166"/>
        <location filename="../manager/staff_tab.py" line="168"/>
        <source>not waiting</source>
        <translation>无需等待</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="170"/>
        <source>waits until {0}</source>
        <translation>等待至 {0}</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="188"/>
        <source>Select the person or terminal first.</source>
        <translation>请先选择人员或终端。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="194"/>
        <source>The wrong PINs are forgotten.</source>
        <translation>已清除密码错误记录。</translation>
    </message>
    <message>
        <location filename="../manager/staff_tab.py" line="199"/>
        <source>clearing a PIN lock-out</source>
        <translation>解除密码锁定</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../counter/status.py" line="20"/>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location filename="../counter/status.py" line="34"/>
        <source>Ready. {0} members.</source>
        <translation>就绪。共 {0} 位会员。</translation>
    </message>
    <message>
        <location filename="../counter/status.py" line="52"/>
        <source>Waiting for the database… ({0}, {1} s)</source>
        <translation>正在等待数据库…（{0}，{1} 秒）</translation>
    </message>
</context>
<context>
    <name>TopUpDialog</name>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="35"/>
        <source>Top up stored value</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="40"/>
        <source>pay {0}, get {1} extra</source>
        <translation>充 {0} 送 {1}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="50"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="50"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="51"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="53"/>
        <source>Top up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="55"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="58"/>
        <source>{0}: balance {1}</source>
        <translation>{0}：余额 {1}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="62"/>
        <source>Amount paid</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="63"/>
        <source>Paid by</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="91"/>
        <source>Bonus {0}: the member gets {1}</source>
        <translation>赠送 {0}：会员到账 {1}</translation>
    </message>
    <message>
        <location filename="../counter/dialogs/topup_dialog.py" line="104"/>
        <source>Recording the top-up</source>
        <translation>正在记录充值</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <location filename="../engine_messages.py" line="15"/>
        <source>LANGUAGE_CODE</source>
        <translation>zh_CN</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <location filename="../widgets.py" line="48"/>
        <source>The database is busy (another terminal is writing). Nothing was saved; try again.</source>
        <translation>数据库繁忙（另一台终端正在写入）。未保存任何内容，请重试。</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="52"/>
        <source>Another terminal or window saved the same record at the same moment. Nothing was saved; try again.</source>
        <translation>另一台终端或窗口同时保存了同一条记录。未保存任何内容，请重试。</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="70"/>
        <source>Something unexpected went wrong; nothing typed is lost. The details are in the log: {0}</source>
        <translation>发生了意外错误；已输入的内容都保留着。详细信息在日志中：{0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="103"/>
        <source>an amount is needed</source>
        <translation>需要输入金额</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="106"/>
        <source>an amount cannot be negative: {0}</source>
        <translation>金额不能为负数：{0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="109"/>
        <source>an amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="112"/>
        <source>an amount can be at most {0}</source>
        <translation>金额最多为 {0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="125"/>
        <source>{0} is needed</source>
        <translation>需要输入{0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="129"/>
        <source>{0} must be a whole number, not {1}</source>
        <translation>{0}必须是整数，不能是 {1}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="133"/>
        <source>{0} must be at least {1}</source>
        <translation>{0}至少为 {1}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="136"/>
        <source>{0} must be at most {1}</source>
        <translation>{0}最多为 {1}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="59"/>
        <source>Too many wrong PINs at this terminal: try again in {0} s.</source>
        <translation>本终端密码错误次数过多：请 {0} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="62"/>
        <source>Too many wrong PINs for this person: try again in {0} s.</source>
        <translation>此人密码错误次数过多：请 {0} 秒后再试。</translation>
    </message>
</context>
</TS>
